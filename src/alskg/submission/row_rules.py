"""The rules that look at one row at a time: identifiers, labels, hierarchy, values.

Plain Python over precomputed sets (:mod:`.reference`), so the full release (271k rows) is
checked in seconds. Each check returns nothing and appends :class:`RuleFinding` objects; a value
that fails its syntax rule is not checked further (no cascade of findings for one typo).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from alskg.rdf.hpoa import EVIDENCE, FREQUENCY_TERMS
from alskg.sources.hpoa import REQUIRED

from .records import SubmittedRow
from .reference import ASPECT_ROOTS, MODIFIER_ROOT, ONSET_ROOT, NameIndex, ReferenceData
from .rules import RuleFinding, finding
from .text_rules import text_findings, too_long

# Identifier patterns are ASCII (``[0-9]``, never ``\d``, which also takes full-width and
# Arabic-Indic digits) and bounded (a 20-million-digit PMID once passed), and end with ``\Z``
# (``$`` also matches before a final newline).
_HP = re.compile(r"^HP:[0-9]{7}\Z")
_HP_LOOSE = re.compile(r"^(?:https?://purl\.obolibrary\.org/obo/)?hp[:_ ]?([0-9]{1,7})\Z", re.IGNORECASE | re.ASCII)
_DISEASE = re.compile(r"^(OMIM:[0-9]{6}|ORPHA:[0-9]{1,9}|DECIPHER:[0-9]{1,9})\Z")
_DISEASE_LOOSE = (
    (re.compile(r"^(?:orpha|orphanet|orphanet_|orpha_)[: _]?([0-9]{1,9})\Z", re.IGNORECASE | re.ASCII), "ORPHA:{}"),
    (re.compile(r"^(?:omim|mim)[: _#]?([0-9]{6})\Z", re.IGNORECASE | re.ASCII), "OMIM:{}"),
    (re.compile(r"^decipher[: _]?([0-9]{1,9})\Z", re.IGNORECASE | re.ASCII), "DECIPHER:{}"),
)
_FRACTION = re.compile(r"^([0-9]{1,9})/([0-9]{1,9})\Z")
_PERCENT = re.compile(r"^([0-9]{1,9}(?:\.[0-9]{1,9})?)%\Z")
#: reference prefix → pattern of its local id
_REFERENCE_IDS = {
    "PMID": re.compile(r"^[1-9][0-9]{0,9}\Z"),
    "OMIM": re.compile(r"^[0-9]{6}\Z"),
    "ORPHA": re.compile(r"^[0-9]{1,9}\Z"),
    "DECIPHER": re.compile(r"^[0-9]{1,9}\Z"),
    "ISBN": re.compile(r"^[0-9][0-9X-]{0,19}\Z"),
    "ISBN-10": re.compile(r"^[0-9][0-9X-]{0,19}\Z"),
    "ISBN-13": re.compile(r"^[0-9][0-9-]{0,19}\Z"),
}
#: references that name a publication (the study behind PCS evidence); OMIM/ORPHA/DECIPHER are database entries
_PUBLISHED = ("PMID:", "ISBN:", "ISBN-10:", "ISBN-13:", "http://", "https://")
#: an http(s) URL that is also a valid IRI (no spaces, no <>"{}|^`\)
_URL = re.compile(r'^https?://[^\s/$.?#<>"{}|^`\\][^\s<>"{}|^`\\]*\Z')
#: the mapper's form (``alskg.rdf.hpoa``): a letters-only prefix, a name, a bracketed date
_CURATION = re.compile(r"^([A-Za-z]+):([^\[\]\s;]+)\[([^\[\]]*)\]\Z")
_ORCID = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\Z")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an ORCID iD (``0000-0002-1825-0097``)."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return digits[-1] == ("X" if result == 10 else str(result))


def hp_suggestion(value: str) -> str:
    """``HP_0001250``, ``hp:1250``, a PURL → ``HP:0001250``; '' if it does not look like an HP id."""
    match = _HP_LOOSE.match(value.strip())
    return f"HP:{int(match.group(1)):07d}" if match else ""


def disease_suggestion(value: str) -> str:
    """``Orphanet:803``, ``MIM:105400`` … → the HPOA spelling; '' if none fits."""
    for pattern, template in _DISEASE_LOOSE:
        match = pattern.match(value.strip())
        if match:
            return template.format(match.group(1))
    return ""


Where = Callable[[], tuple[int, int]]


class RowRules:
    """Applies the per-row rules to rows, against one :class:`ReferenceData`.

    Values are checked first and positions computed only for a finding, so a clean row
    costs a few string tests and set look-ups.
    """

    #: 'did you mean' look-ups (difflib, ~50 ms each) per check: enough for a curator's file,
    #: bounded for a large or garbled one (later near misses get the current label only)
    CLOSE_BUDGET = 100

    def __init__(self, reference: ReferenceData, today: date) -> None:
        self.ref = reference
        self.hpo = reference.hpo
        self.today = today
        self.budget = self.CLOSE_BUDGET

    def _close(self, index: NameIndex, name: str) -> list[str]:
        if not index.cached(name):
            if self.budget <= 0:
                return []
            self.budget -= 1
        return index.close(name)

    def check(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        characters = text_findings(row)
        yield from characters
        if too_long(characters):
            return
        yield from self.required(row)
        yield from self.disease(row)
        term = yield from self.term(row.value("hpo_id"), "hpo_id", lambda: row.position("hpo_id"))
        yield from self.aspect(row, term)
        yield from self.term_label(row, term)
        yield from self.onset(row)
        yield from self.modifiers(row)
        yield from self.frequency(row)
        yield from self.qualifier(row)
        yield from self.sex(row)
        yield from self.references(row)
        yield from self.evidence(row)
        yield from self.biocuration(row)

    def required(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        for name in REQUIRED:
            if not row.value(name):
                line, column = row.position(name)
                yield finding("HPOA-STRUCT-REQUIRED", line, column, name, "", f"required column {name!r} is empty",
                              f"fill in {name}")

    # -- identifiers ------------------------------------------------------------------------
    def disease(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("database_id")
        if not value:
            return
        if not _DISEASE.match(value):
            fix = disease_suggestion(value)
            yield finding("HPOA-ID-CURIE", *row.position("database_id"), "database_id", value,
                          "database_id must be OMIM:nnnnnn, ORPHA:n or DECIPHER:n",
                          f"write {fix}" if fix else "use the OMIM, Orphanet (ORPHA:) or DECIPHER id")
            return
        name = row.value("disease_name")
        if value not in self.ref.known_diseases:
            same = sorted(self.ref.disease_names.exact(name)) if name else []
            hint = f"the name matches {', '.join(same[:3])}" if same else "check the id"
            yield finding("HPOA-ID-DISEASE-UNKNOWN", *row.position("database_id"), "database_id", value,
                          "disease id unknown to the graph (release, curated tables, merged submissions, MONDO)",
                          hint, name)
            return
        current = self.ref.current_disease_name(value)
        if name and current and name != current:
            yield finding("HPOA-LABEL-DISEASE", *row.position("disease_name"), "disease_name", name,
                          f"{value} is named {current!r} in the graph",
                          f"write {current!r}" + self._other_disease(name, value), current)

    def _other_disease(self, name: str, disease: str) -> str:
        """'Did you mean' another disease, unless the name is one the graph knows for this one."""
        named = self.ref.disease_names.exact(name)
        if disease in named:
            return ""
        others = sorted(named - {disease})
        if others:
            return f"; the name you gave is that of {', '.join(others[:3])}: did you mean that disease?"
        close = [n for n in self._close(self.ref.disease_names, name) if disease not in self.ref.disease_names.exact(n)]
        return f"; did you mean: {' | '.join(close)}" if close else ""

    def term(self, value: str, field: str, where: Where) -> Iterator[RuleFinding]:
        """Syntax and status of one HP id; returns the primary id for the tree rules ('' if none)."""
        if not value:
            return ""
        if not _HP.match(value):
            fix = hp_suggestion(value)
            yield finding("HPOA-ID-CURIE", *where(), field, value, f"{field} must be an HP id, HP:nnnnnnn",
                          f"write {fix}" if fix else "use an HP id (HP: and 7 digits)", self.hpo.label(fix))
            return ""
        term = self.hpo.ontology.terms.get(value)
        if term is not None and not term.obsolete:
            return value
        if term is not None:
            yield finding("HPOA-ID-OBSOLETE", *where(), field, value, f"{value} is obsolete",
                          self._replacement(term.replaced_by, term.consider), term.label)
            return ""
        primary = self.hpo.ontology.primary_id(value)
        if primary is None:
            yield finding("HPOA-ID-UNKNOWN", *where(), field, value,
                          f"{value} is not a term of HPO release {self.ref.hpo_version}",
                          "look the term up in the HPO browser")
            return ""
        yield finding("HPOA-ID-ALT", *where(), field, value, f"{value} is an alt_id of {primary}",
                      f"use {primary} ({self.hpo.label(primary)})", self.hpo.label(primary))
        return primary

    def _replacement(self, replaced_by: list[str], consider: list[str]) -> str:
        if replaced_by:
            return "use " + ", ".join(f"{t} ({self.hpo.label(t)})" for t in replaced_by)
        if consider:
            return "consider " + " or ".join(f"{t} ({self.hpo.label(t)})" for t in consider)
        return "choose a current term; the release gives no replacement"

    # -- hierarchy and labels -------------------------------------------------------------
    def aspect(self, row: SubmittedRow, term: str) -> Iterator[RuleFinding]:
        aspect = row.value("aspect")
        if not aspect:
            return
        root = ASPECT_ROOTS.get(aspect)
        if root is None:
            fix = aspect.upper() if aspect.upper() in ASPECT_ROOTS else ""
            yield finding("HPOA-VALUE-ASPECT", *row.position("aspect"), "aspect", aspect,
                          "aspect must be P, I, C, M or H", f"write {fix}" if fix else "use P, I, C, M or H")
            return
        if term and not self.hpo.is_under(term, root):
            fits = [a for a, r in ASPECT_ROOTS.items() if self.hpo.is_under(term, r)]
            yield finding("HPOA-TREE-ASPECT", *row.position("hpo_id"), "hpo_id", row.value("hpo_id"),
                          f"aspect {aspect} needs a term under {root} ({self.hpo.label(root)})",
                          f"set aspect to {' or '.join(fits)}" if fits else "choose a term of this aspect",
                          self.hpo.label(term))

    def term_label(self, row: SubmittedRow, term: str) -> Iterator[RuleFinding]:
        given = row.label
        if not given or not term:
            return
        current = self.hpo.label(term)
        if given == current:
            return
        yield finding("HPOA-LABEL-TERM", *row.label_position, "hpo_label", given,
                      f"the current label of {term} is {current!r}", self._label_fix(given, term, current), current)

    def _label_fix(self, given: str, term: str, current: str) -> str:
        named = self.hpo.names.exact(given)
        if term in named:
            return f"write {current!r} ({given!r} is a synonym)"
        others = sorted(named)
        if others:
            return (f"write {current!r}, or did you mean "
                    + ", ".join(f"{t} ({self.hpo.label(t)})" for t in others[:3]) + "?")
        close = [n for n in self._close(self.hpo.names, given) if term not in self.hpo.names.exact(n)]
        hint = "; did you mean: " + " | ".join(
            f"{n} ({', '.join(sorted(self.hpo.names.exact(n))[:2])})" for n in close) if close else ""
        return f"write {current!r}{hint}"

    def onset(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("onset")
        term = yield from self.term(value, "onset", lambda: row.position("onset"))
        if term and not self.hpo.is_under(term, ONSET_ROOT):
            yield finding("HPOA-TREE-ONSET", *row.position("onset"), "onset", value,
                          f"onset must be under {ONSET_ROOT} (Onset)", "use an onset term, e.g. HP:0003581 (Adult onset)",
                          self.hpo.label(term))

    def modifiers(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("modifier")
        if not value:
            return
        for k, text in enumerate(value.split(";")):
            def where(k: int = k) -> tuple[int, int]:
                item = row.item("modifier", k)
                return item.line, item.column

            if not text:
                yield finding("HPOA-ID-CURIE", *where(), "modifier", "", "empty item in the modifier list",
                              "remove the extra ;")
                continue
            term = yield from self.term(text, "modifier", where)
            if term and not self.hpo.is_under(term, MODIFIER_ROOT):
                yield finding("HPOA-TREE-MODIFIER", *where(), "modifier", text,
                              f"a modifier must be under {MODIFIER_ROOT} (Clinical modifier)",
                              "use a clinical modifier term or drop it", self.hpo.label(term))

    # -- values ---------------------------------------------------------------------------
    def frequency(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("frequency")
        if not value or value in FREQUENCY_TERMS:
            return
        problem = _frequency_problem(value)
        if problem:
            label = self.hpo.label(value) if value.startswith("HP:") else ""
            yield finding("HPOA-VALUE-FREQUENCY", *row.position("frequency"), "frequency", value, problem,
                          "write n/m (n <= m, m > 0), p% (0 < p <= 100) or one of HP:0040280-HP:0040285", label)

    def qualifier(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("qualifier")
        if value and value != "NOT":
            yield finding("HPOA-VALUE-QUALIFIER", *row.position("qualifier"), "qualifier", value,
                          "qualifier must be NOT or empty",
                          "write NOT" if value.upper() == "NOT" else "write NOT or leave it empty")

    def sex(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("sex")
        if value and value not in ("MALE", "FEMALE"):
            fix = value.upper() if value.upper() in ("MALE", "FEMALE") else ""
            yield finding("HPOA-VALUE-SEX", *row.position("sex"), "sex", value, "sex must be MALE, FEMALE or empty",
                          f"write {fix}" if fix else "write MALE or FEMALE, or leave it empty")

    def evidence(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("evidence")
        if not value:
            return
        if value not in EVIDENCE:
            fix = {"ICE": "use TAS (ICE, 'individual clinical experience', is retired)"}.get(value.upper(), "")
            fix = fix or (f"write {value.upper()}" if value.upper() in EVIDENCE else "use IEA, PCS or TAS")
            yield finding("HPOA-VALUE-EVIDENCE", *row.position("evidence"), "evidence", value,
                          "evidence must be IEA, PCS or TAS", fix)
        elif value == "PCS" and not any(r.startswith(_PUBLISHED) for r in row.value("reference").split(";")):
            yield finding("HPOA-VALUE-EVIDENCE", *row.position("evidence"), "evidence", value,
                          "PCS (published clinical study) needs the study among the references: a PMID "
                          "(or an ISBN or URL of the publication), not only a database entry",
                          "add the study as PMID:n, or use TAS for an OMIM/Orphanet/DECIPHER entry")

    def references(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("reference")
        if not value:
            return
        for k, text in enumerate(value.split(";")):
            problem, fix = _reference_problem(text)
            if problem:
                item = row.item("reference", k)
                yield finding("HPOA-VALUE-REFERENCE", item.line, item.column, "reference", text, problem, fix)

    def biocuration(self, row: SubmittedRow) -> Iterator[RuleFinding]:
        value = row.value("biocuration")
        if not value:
            return
        for k, text in enumerate(value.split(";")):
            for rule_id, problem, fix in self._curation_problems(text):
                item = row.item("biocuration", k)
                yield finding(rule_id, item.line, item.column, "biocuration", text, problem, fix)

    def _curation_problems(self, text: str) -> Iterator[tuple[str, str, str]]:
        match = _CURATION.match(text)
        if not match:
            yield ("HPOA-VALUE-BIOCURATION",
                   "a biocuration item must be NAME:curator[YYYY-MM-DD] or ORCID:0000-0000-0000-000X[YYYY-MM-DD]",
                   "write e.g. HPO:yourname[YYYY-MM-DD] with the curation date")
            return
        prefix, name, when = match.groups()
        problem = _date_problem(when, self.today)
        if problem:
            yield "HPOA-VALUE-BIOCURATION", problem, "write the real curation date, YYYY-MM-DD, not after today"
        elif prefix == "ORCID" and not _ORCID.match(name):
            yield ("HPOA-VALUE-BIOCURATION", "an ORCID iD is four groups of four digits (the last may be X)",
                   "write ORCID:0000-0000-0000-0000[date]")
        elif prefix == "ORCID" and not orcid_checksum_ok(name):
            yield "HPOA-VALUE-BIOCURATION", f"{name} is not a valid ORCID iD (wrong check digit)", "check the ORCID iD"
        elif prefix == "HP":
            yield ("HPOA-VALUE-BIOCURATION-PREFIX", "HP: is the prefix of HPO terms; curators are HPO:",
                   f"write HPO:{name}[{when}]")


def _frequency_problem(value: str) -> str:
    if value.startswith("HP:"):
        return "" if value in FREQUENCY_TERMS else "a frequency term must be one of HP:0040280-HP:0040285"
    match = _FRACTION.match(value)
    if match:
        n, m = int(match.group(1)), int(match.group(2))
        return "" if 0 < m and n <= m else "a frequency n/m needs m > 0 and n <= m"
    match = _PERCENT.match(value)
    if match:
        return "" if 0 < float(match.group(1)) <= 100 else "a frequency p% needs 0 < p <= 100"
    return "frequency must be n/m, p% or an HP frequency term"


def _reference_problem(text: str) -> tuple[str, str]:
    if not text:
        return "empty item in the reference list", "remove the extra ;"
    if text.startswith(("http://", "https://")):
        return ("", "") if _URL.match(text) else (
            'a URL has no spaces nor any of <>"{}|^`\\', "percent-encode them (a space is %20)")
    if any(c.isspace() for c in text):
        return "a reference has no spaces", f"write {''.join(text.split())}"
    prefix, sep, local = text.partition(":")
    if not sep or ":" in local:
        return "a reference is PREFIX:id with exactly one ':'", "write e.g. PMID:12345678"
    pattern = _REFERENCE_IDS.get(prefix)
    if pattern is None:
        fix = next((p for p in _REFERENCE_IDS if p.casefold() == prefix.casefold()), "")
        return (f"unknown reference prefix {prefix!r}",
                f"write {fix}:{local}" if fix else "use PMID, OMIM, ORPHA, DECIPHER, ISBN, ISBN-10, ISBN-13 or a URL")
    if not pattern.match(local):
        digits = re.sub(r"[^0-9]", "", local).lstrip("0")
        fix = f"write {prefix}:{digits}" if prefix in ("PMID", "ORPHA", "DECIPHER") and pattern.match(digits) else ""
        return f"{local!r} is not a well-formed {prefix} id", fix or f"check the {prefix} id"
    return "", ""


def _date_problem(when: str, today: date) -> str:
    if not _ISO_DATE.match(when):
        return f"{when!r} is not a date YYYY-MM-DD"
    try:
        day = date.fromisoformat(when)
    except ValueError:
        return f"{when} is not a real calendar date"
    return f"{when} is in the future" if day > today else ""
