"""The rules a curator submission is checked against: one registry, one entry per rule.

Each :class:`Rule` has a stable id, one severity, a title, what triggers it and how to fix
it, so the rule table in the docs can be generated from here (:func:`rules_markdown`,
``alskg check --list-rules``). A rule id always means the same severity, so ``--fail-on``
is predictable; where a problem comes in a hard and a soft form there are two rules
(``HPOA-CONSIST-GRAPH`` / ``HPOA-CONSIST-GRAPH-DUPLICATE``).

The SHACL pass adds results as ``SHACL-<Component>`` (``SHACL-MinCount``, ``SHACL-Pattern``,
…): their severity is the shape's (sh:Violation → error, sh:Warning → warning, sh:Info →
info), so they are described by the one family entry :data:`SHACL_FAMILY`.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
#: SHACL result severities (local names of sh:Violation, sh:Warning, sh:Info) → ours.
SHACL_SEVERITY = {"Violation": ERROR, "Warning": WARNING, "Info": INFO}


@dataclass(frozen=True)
class Rule:
    """One named check: stable id, severity, and the words a curator needs."""

    id: str
    severity: str
    title: str
    trigger: str
    fix: str


@dataclass(frozen=True, slots=True)
class RuleFinding:
    """One problem found in a submission, located in the file (1-based line and column).

    ``line`` 0 means the file as a whole; ``column`` is the character position where the
    offending value (or ``;``-list item) starts. ``label`` is the current label of the
    value where it names a term or disease.
    """

    rule: str
    severity: str
    line: int
    column: int
    field: str
    value: str
    message: str
    suggestion: str = ""
    label: str = ""
    #: the node the finding is about: the row's association IRI (or a SHACL focus node)
    focus: str = ""

    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.line, self.column, SEVERITY_RANK.get(self.severity, 9), self.rule, self.value)


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    # --- structure of the file ---------------------------------------------------------------
    Rule("HPOA-STRUCT-ENCODING", ERROR, "text is not UTF-8",
         "a line holds bytes that are not UTF-8 (for example Latin-1 or Windows-1252 accents), or the file "
         "is UTF-16", "save the file as UTF-8 (a byte-order mark is allowed); the column points at the bad byte"),
    Rule("HPOA-STRUCT-BINARY", ERROR, "binary content or control characters",
         "the file is binary (NUL bytes, a gzip/zip/Excel file) or a line holds a control character other "
         "than tab (a lone carriage return, NUL, form feed…)",
         "export the table as plain tab-separated text; remove the control character at the column given"),
    Rule("HPOA-STRUCT-HEADER", ERROR, "column header or # header out of place",
         "the column-header line does not list the 12 HPOA columns in order (optionally followed by "
         "hpo_label), a second column header appears, or a # header line follows annotation rows",
         "use the header database_id, disease_name, qualifier, hpo_id, reference, evidence, onset, "
         "frequency, sex, modifier, aspect, biocuration (tab-separated), or leave it out; keep # lines at the top"),
    Rule("HPOA-STRUCT-FIELDS", ERROR, "wrong number of fields",
         "a row does not have 12 tab-separated fields (13 when the header declares hpo_label), or a blank "
         "line sits between rows",
         "give every row exactly 12 tab-separated fields, empty ones included; check for tabs inside values "
         "and for spaces typed instead of tabs"),
    Rule("HPOA-STRUCT-REQUIRED", ERROR, "required column empty",
         "one of database_id, disease_name, hpo_id, reference, evidence, aspect, biocuration is empty",
         "fill in the column"),
    Rule("HPOA-STRUCT-WHITESPACE", WARNING, "spaces around a value",
         "a cell or a ;-separated item starts or ends with spaces (the release has this in biocuration "
         "items, e.g. ' HPO:sdoelken[2012-04-24]')",
         "remove the spaces; the value is checked, and merged, without them"),
    Rule("HPOA-STRUCT-LENGTH", ERROR, "value too long",
         "a value (any column, or the hpo_label) is longer than 10,000 characters (the release's longest "
         "has 363); the row's other rules are skipped",
         "shorten the value; a cell this long is almost always a paste gone wrong"),
    Rule("HPOA-STRUCT-INVISIBLE", ERROR, "invisible or control character in a value",
         "a value holds a zero-width character, a bidi embedding/override/isolate mark, a soft hyphen or "
         "another Unicode format character (category Cf), a control character (a newline or ESC in an RDF "
         "literal) or a line/paragraph separator; they make equal-looking values differ",
         "delete the character at the column given (retype the value by hand)"),
    Rule("HPOA-STRUCT-EMPTY", ERROR, "no annotation rows",
         "the file holds no annotation row (only headers, or nothing), or an RDF file holds no association "
         "of the five HPOA classes", "add at least one annotation"),
    # --- identifiers ---------------------------------------------------------------------
    Rule("HPOA-ID-CURIE", ERROR, "malformed identifier or wrong prefix",
         "database_id is not OMIM:nnnnnn, ORPHA:n or DECIPHER:n; hpo_id, onset, a modifier or an HP "
         "frequency is not HP:nnnnnnn (7 digits)",
         "write the identifier as the suggestion shows (e.g. ORPHA:803 for Orphanet:803, HP:0001250 for "
         "HP_0001250 or hp:1250)"),
    Rule("HPOA-ID-UNKNOWN", ERROR, "HP id not in the HPO release",
         "a well-formed HP id is neither a term nor an alt_id of the pinned release",
         "look the term up in the release (the HPO browser) and use its id"),
    Rule("HPOA-ID-OBSOLETE", ERROR, "obsolete HP term",
         "the HP term is marked obsolete in the release",
         "use the term of its replaced_by, or one of its consider terms (given in the suggestion)"),
    Rule("HPOA-ID-ALT", ERROR, "alternative id instead of the primary id",
         "the HP id is an alt_id of another term (HPO's QC rejects alt_ids)", "use the primary id suggested"),
    Rule("HPOA-ID-DISEASE-UNKNOWN", WARNING, "disease id unknown to the graph",
         "database_id is in neither the release's phenotype.hpoa, the curated tables (diseases.tsv, "
         "xrefs.tsv), earlier merged submissions, nor MONDO's OMIM/Orphanet mappings (when present)",
         "check the id on OMIM/Orphanet/DECIPHER; a new disease is allowed but is reviewed by hand"),
    # --- labels --------------------------------------------------------------------------
    Rule("HPOA-LABEL-DISEASE", WARNING, "disease name differs from the current name",
         "disease_name is not the name the release (or the curated tables / MONDO) gives this id",
         "use the current name suggested; a name that matches another disease is shown as 'did you mean'"),
    Rule("HPOA-LABEL-TERM", ERROR, "HP label differs from the current label",
         "the hpo_label column (or the rdfs:label of the term in RDF input) is not the current label of "
         "hpo_id (HPO's QC rejects stale labels)",
         "use the current label; if the label names another term (label or synonym), the id is probably wrong"),
    # --- hierarchy -----------------------------------------------------------------------
    Rule("HPOA-TREE-ASPECT", ERROR, "term outside the subontology of its aspect",
         "hpo_id is not under the root of its aspect: P HP:0000118, I HP:0000005, C HP:0031797, "
         "M HP:0012823, H HP:0032443",
         "fix the aspect (the suggestion names the one that fits) or the term"),
    Rule("HPOA-TREE-ONSET", ERROR, "onset term not under Onset",
         "onset is not HP:0003674 (Onset) or one of its descendants", "use an onset term, e.g. HP:0003581 Adult onset"),
    Rule("HPOA-TREE-MODIFIER", ERROR, "modifier term not under Clinical modifier",
         "a modifier is not under HP:0012823 (Clinical modifier)", "use a clinical modifier term"),
    # --- values --------------------------------------------------------------------------
    Rule("HPOA-VALUE-ASPECT", ERROR, "aspect not P, I, C, M or H",
         "aspect is not one of the five HPOA letters", "use P, I, C, M or H (upper case)"),
    Rule("HPOA-VALUE-FREQUENCY", ERROR, "bad frequency",
         "frequency is none of: n/m with n <= m and m > 0; p% with 0 < p <= 100; HP:0040280-HP:0040285",
         "write 3/7, 25% or a frequency term (HP:0040283 Occasional…)"),
    Rule("HPOA-VALUE-QUALIFIER", ERROR, "qualifier other than NOT",
         "qualifier holds something other than NOT or nothing", "write NOT (upper case) or leave it empty"),
    Rule("HPOA-VALUE-SEX", ERROR, "sex other than MALE or FEMALE",
         "sex holds something other than MALE, FEMALE or nothing", "write MALE or FEMALE (upper case) or leave it empty"),
    Rule("HPOA-VALUE-EVIDENCE", ERROR, "bad evidence code",
         "evidence is not IEA, PCS or TAS (the legacy ICE included), or it is PCS (published clinical "
         "study) and no reference names a publication (PMID; an ISBN or URL also counts): only OMIM, ORPHA "
         "or DECIPHER entries",
         "use IEA, PCS or TAS; with PCS, cite the study as PMID:n (TAS suits a database entry)"),
    Rule("HPOA-VALUE-REFERENCE", ERROR, "bad reference",
         "a ;-separated reference is not PREFIX:id without spaces with a known prefix (PMID, OMIM, ORPHA, "
         "DECIPHER, ISBN, ISBN-10, ISBN-13) and a well-formed id (PMID digits only, OMIM 6 digits…), nor an "
         "http(s) URL; or an item is empty",
         "write PMID:12345678, OMIM:105400, ORPHA:803, ISBN-13:978…, or a full URL; separate items with ;"),
    Rule("HPOA-VALUE-BIOCURATION", ERROR, "bad biocuration item",
         "a ;-separated biocuration item is not NAME:curator[YYYY-MM-DD] or "
         "ORCID:0000-0000-0000-000X[YYYY-MM-DD], the ORCID check digit is wrong, or the date is not a real "
         "calendar date or lies in the future",
         "write HPO:yourname[YYYY-MM-DD] or ORCID:your-orcid[YYYY-MM-DD] with the curation date"),
    Rule("HPOA-VALUE-BIOCURATION-PREFIX", WARNING, "curator written with the HP: prefix",
         "a biocuration item starts with HP: (the prefix of HPO terms) instead of HPO: (the curators' "
         "namespace); the release has 3,117 such items", "write HPO:name[date]"),
    # --- consistency -----------------------------------------------------------------------
    Rule("HPOA-CONSIST-DUPLICATE", WARNING, "row repeated in the file",
         "a row states the same annotation as an earlier row (every column but disease_name and "
         "biocuration is equal); alskg merges such rows into one association",
         "delete the repeated row, or merge the biocuration items into one row"),
    Rule("HPOA-CONSIST-NEGATION", ERROR, "negated and asserted in the same file",
         "the same disease and HP term is annotated both with NOT and without it (whatever the sex, onset "
         "or reference: the graph writes the direct edge of an asserted pair, which a negated one forbids)",
         "keep one of the two rows"),
    Rule("HPOA-CONSIST-GRAPH", ERROR, "contradicts the graph",
         "the release or a merged submission holds the same disease and HP term with the opposite negation, "
         "or, for the same reference, a frequency in another HPO band",
         "check the source; if the graph is wrong, raise it with the HPO team instead of contradicting it here"),
    Rule("HPOA-CONSIST-GRAPH-DUPLICATE", INFO, "already in the graph",
         "the release or a merged submission already holds the same annotation (every column but "
         "disease_name and biocuration); merging skips it",
         "nothing to do; drop the row to keep the submission small"),
)

#: The family of findings of the SHACL pass; ids are SHACL-<Component>.
SHACL_FAMILY = Rule(
    "SHACL-*", "shape's", "SHACL shape violated",
    "the submission, converted to alskg RDF with the HPOA mapper (or read as RDF), breaks one of the "
    "project's shapes (shapes/alskg.shapes.ttl); the id names the SHACL constraint component "
    "(SHACL-MinCount, SHACL-Pattern, SHACL-Class, SHACL-SPARQL…)",
    "follow the shape's message; rows that already have errors are left out of the SHACL pass",
)


def shacl_rule_id(component: str) -> str:
    """``MinCountConstraintComponent`` → ``SHACL-MinCount``."""
    return "SHACL-" + (component.removesuffix("ConstraintComponent") or "Shape")


def rule(rule_id: str) -> Rule:
    """The registered rule with this id (SHACL ids give the family entry)."""
    return SHACL_FAMILY if rule_id.startswith("SHACL-") else RULES[rule_id]


def finding(rule_id: str, line: int, column: int, field: str, value: str, message: str,
            suggestion: str = "", label: str = "") -> RuleFinding:
    """A finding of a registered rule, with the rule's severity."""
    return RuleFinding(rule_id, RULES[rule_id].severity, line, column, field, value, message, suggestion, label)


def rules_markdown() -> str:
    """The rule table (Markdown), for the docs: id, severity, trigger, fix."""
    lines = ["| rule | severity | triggered by | how to fix |", "|---|---|---|---|"]
    for r in [*RULES.values(), SHACL_FAMILY]:
        lines.append(f"| `{r.id}` | {r.severity} | {r.trigger} | {r.fix} |")
    return "\n".join(lines) + "\n"
