"""Where the GARD page (a 2020 snapshot of HPO's annotation) and the HPO release disagree.

For each disease of the curated layer with page phenotypes, the release's annotations of its
exact matches (for ALS, ``ORPHA:803``) are compared pair by pair (disease, HP term). Each
difference is a :class:`Difference` of one kind:

- ``frequency-changed``: the page's band and the release's frequency map to different HPO
  frequency terms (an ``n/m`` or ``p%`` frequency is binned by HPO's definitions);
- ``only-on-page`` / ``only-in-release``: the pair is annotated in one source only;
- ``negated-in-release``: the release says the disease does NOT have it;
- ``label-changed``: the page's name of the term is not its current HPO label;
- ``obsolete`` / ``replaced``: the page's term is obsolete, or an alt_id, in the release.

Differences are information to keep and report, not errors: they never change the graph.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from alskg import vocab
from alskg.errors import InputError, UsageError, os_reason
from alskg.model import Ontology
from alskg.sources.curated import CuratedData
from alskg.sources.table_records import PhenotypeRow, XrefRow
from alskg.sources.hpoa import Annotation

KINDS = ("frequency-changed", "only-on-page", "only-in-release", "negated-in-release", "label-changed",
         "obsolete", "replaced")
#: HPO's frequency terms with the bounds of their definitions (percent).
FREQUENCY_BANDS: tuple[tuple[str, str, Decimal, Decimal], ...] = (
    ("HP:0040285", "Excluded", Decimal(0), Decimal(0)),
    ("HP:0040284", "Very rare", Decimal(1), Decimal(4)),
    ("HP:0040283", "Occasional", Decimal(5), Decimal(29)),
    ("HP:0040282", "Frequent", Decimal(30), Decimal(79)),
    ("HP:0040281", "Very frequent", Decimal(80), Decimal(99)),
    ("HP:0040280", "Obligate", Decimal(100), Decimal(100)),
)
_FRACTION = re.compile(r"^([0-9]{1,9})/([0-9]{1,9})\Z")  # ASCII digits only
_PERCENT = re.compile(r"^([0-9]{1,9}(?:\.[0-9]{1,9})?)%\Z")


@dataclass(frozen=True, order=True)
class Difference:
    """One disagreement between the page and the release."""

    disease: str
    phenotype: str
    kind: str
    release_disease: str
    page_label: str
    release_label: str
    page_frequency: str
    release_frequency: str
    detail: str


def frequency_term(value: str) -> str:
    """The HPO frequency term of an HPOA frequency (term, ``n/m`` or ``p%``); '' if none.

    A percentage between two bands (e.g. 4.5%) goes to the band whose range it is closest to,
    rounding to whole percent as HPO's definitions do.
    """
    if not value or value.startswith("HP:"):
        return value
    match = _FRACTION.match(value)
    if match and int(match.group(2)) > 0:
        percent = Decimal(100) * int(match.group(1)) / int(match.group(2))
    elif (match := _PERCENT.match(value)) is not None:
        percent = Decimal(match.group(1))
    else:
        return ""
    percent = percent.to_integral_value()
    for term, _, low, high in FREQUENCY_BANDS:
        if low <= percent <= high:
            return term
    return ""


def _label(term: str) -> str:
    for curie, label, _, _ in FREQUENCY_BANDS:
        if curie == term:
            return label
    return ""


def _describe(term: str, raw: str = "") -> str:
    if not term:
        return raw or "none"
    text = f"{_label(term)} ({term})"
    return f"{raw} = {text}" if raw and raw != term else text


def release_ids(data: CuratedData, disease: str) -> list[str]:
    """The release's ids for a curated disease: its exact matches (OMIM, ORPHA), standardised."""
    return sorted(vocab.standardize(row.object) for row in data.rows(XrefRow)
                  if row.subject == disease and row.predicate == "skos:exactMatch"
                  and row.object.split(":")[0] in ("OMIM", "ORPHA", "Orphanet", "DECIPHER"))


def compare(data: CuratedData, annotations: Iterable[Annotation], ontology: Ontology) -> list[Difference]:
    """Every difference between the page's phenotype table and the release, sorted."""
    page: dict[str, dict[str, PhenotypeRow]] = {}
    for row in data.rows(PhenotypeRow):
        page.setdefault(row.disease, {})[row.phenotype] = row
    wanted = {rid: disease for disease in page for rid in release_ids(data, disease)}
    release: dict[tuple[str, str], list[Annotation]] = {}
    for ann in annotations:
        if ann.database_id in wanted and ann.aspect == "P":
            release.setdefault((ann.database_id, ann.hpo_id), []).append(ann)
    out: list[Difference] = []
    for rid, disease in sorted(wanted.items()):
        rows = page[disease]
        present = {hp for (d, hp) in release if d == rid}
        for hp in sorted(set(rows) | present):
            out.extend(_pair(disease, rid, hp, rows.get(hp), release.get((rid, hp), []), ontology))
    return sorted(out)


def _pair(disease: str, rid: str, hp: str, row: PhenotypeRow | None, anns: list[Annotation],
          ontology: Ontology) -> list[Difference]:
    term = ontology.terms.get(ontology.primary_id(hp) or hp)
    current = term.label if term else ""
    page_label = row.page_label if row else ""
    page_freq = row.frequency if row else ""
    positive = [a for a in anns if not a.negated]
    raw = ",".join(sorted({a.frequency for a in positive if a.frequency}))
    rel_term = ",".join(sorted({frequency_term(a.frequency) for a in positive if a.frequency}))

    def diff(kind: str, detail: str) -> Difference:
        return Difference(disease, hp, kind, rid, page_label, current, page_freq, raw, detail)

    found: list[Difference] = []
    if row is None:
        kind = "negated-in-release" if anns and not positive else "only-in-release"
        return [diff(kind, f"{rid} annotates {hp} ({current}), the page does not list it")]
    if not anns:
        found.append(diff("only-on-page", f"the page lists {hp} ({page_label}); {rid} has no annotation of it"))
    elif not positive:
        found.append(diff("negated-in-release", f"{rid} says the disease does NOT have {hp}"))
    elif rel_term != page_freq:
        page_text = row.frequency_band + (f" = {_describe(page_freq)}" if page_freq else "")
        found.append(diff("frequency-changed", f"page: {page_text}; release: {_describe(rel_term, raw)}"))
    if hp not in ontology.terms:
        primary = ontology.primary_id(hp)
        found.append(diff("replaced", f"{hp} is an alt_id of {primary}" if primary else f"{hp} is not in the release"))
    elif term is not None and term.obsolete:
        found.append(diff("obsolete", f"{hp} is obsolete; replaced by {', '.join(term.replaced_by) or 'nothing'}; "
                                      f"consider {', '.join(term.consider) or 'nothing'}"))
    if term is not None and page_label != current:
        found.append(diff("label-changed", f"page: {page_label!r}; release: {current!r}"))
    return found


COLUMNS = tuple(Difference.__dataclass_fields__)


def to_tsv(diffs: list[Difference]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(d, c) for c in COLUMNS] for d in diffs)
    return buffer.getvalue()


def to_json(diffs: list[Difference]) -> str:
    counts = {kind: sum(1 for d in diffs if d.kind == kind) for kind in KINDS}
    return json.dumps({"counts": counts, "differences": [asdict(d) for d in diffs]}, indent=2,
                      ensure_ascii=False) + "\n"


def to_table(diffs: list[Difference]) -> str:
    """A readable summary: counts by kind, then one line a difference."""
    counts = ", ".join(f"{sum(1 for d in diffs if d.kind == k)} {k}" for k in KINDS
                       if any(d.kind == k for d in diffs)) or "no differences"
    lines = [f"GARD page vs HPO release: {counts}"]
    width = max((len(d.kind) for d in diffs), default=0)
    for d in diffs:
        name = d.release_label or d.page_label
        lines.append(f"  {d.kind:{width}}  {d.release_disease:10} {d.phenotype}  {name}: {d.detail}")
    return "\n".join(lines) + "\n"


def to_csv(diffs: list[Difference]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(d, c) for c in COLUMNS] for d in diffs)
    return buffer.getvalue()


#: file extension of ``--out`` → its writer
WRITERS = {".tsv": to_tsv, ".csv": to_csv, ".json": to_json}


def output_format(path: Path) -> str:
    """The extension of an output file, which decides its format; any other is a UsageError."""
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        raise UsageError(f"unknown output extension: use {', '.join(WRITERS)}", path)
    return suffix


def write(diffs: list[Difference], path: Path) -> None:
    """Write the differences as TSV, CSV or JSON, by the file's extension, atomically."""
    from alskg.atomic import write_text

    render = WRITERS[output_format(path)]
    try:
        write_text(path, render(diffs))
    except OSError as exc:
        raise InputError(f"cannot write the differences ({os_reason(exc)})", path) from None
