"""Reading a submission: format detection and the HPOA TSV reader with positions.

The HPOA reader is forgiving where HPO's own reader (``alskg.sources.hpoa``) stops: a bad
line becomes a finding (``HPOA-STRUCT-*``) with its line and column and the next line is
read, so a curator sees every problem at once. It accepts the 12 columns of
``phenotype.hpoa`` with or without the ``#`` header lines and the column header, UTF-8 with
or without a byte-order mark, LF or CRLF line ends. Columns are character positions
(1-based) in the decoded line, where the offending value starts.
"""

from __future__ import annotations

import re
from pathlib import Path

from alskg.sources.hpoa import COLUMNS, LIST_COLUMNS

from .records import LABEL_COLUMNS, Submission, SubmittedRow, normalise
from .rules import RuleFinding, finding

FORMATS = ("hpoa", "ttl", "nt")
_EXTENSIONS = {".tsv": "hpoa", ".hpoa": "hpoa", ".tab": "hpoa", ".ttl": "ttl", ".turtle": "ttl", ".nt": "nt"}
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Leading bytes of binary files curators are likely to send by mistake.
_MAGIC = {b"\x1f\x8b": "gzip", b"PK\x03\x04": "zip/xlsx", b"\xd0\xcf\x11\xe0": "Excel 97-2003", b"%PDF": "PDF",
          b"BZh": "bzip2", b"\xfd7zXZ": "xz"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RDF_START = re.compile(r"^\s*(@prefix|@base|prefix\s|base\s)", re.IGNORECASE)
#: whitespace (other than the tabs between cells) at either end of a cell or next to a ``;``
_SPACED_LINE = re.compile(r"(?:^|\t)[^\S\t]|[^\S\t](?:$|\t)|[^\S\t];|;[^\S\t]")
_NT_LINE = re.compile(r'^\s*(<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s+.*\.\s*$')


def detect_format(path: Path, head: bytes) -> str:
    """``hpoa``, ``ttl`` or ``nt``: from the extension, else from the first content line."""
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    text = head.removeprefix(_UTF8_BOM).decode("utf-8", "replace")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" in line:
            return "hpoa"
        if _RDF_START.match(line):
            return "ttl"
        if line.lstrip().startswith(("<", "_:")):
            return "nt" if _NT_LINE.match(line) else "ttl"
        return "hpoa"
    return "hpoa"


def _columns(fields: list[str]) -> list[int]:
    """1-based start column of each tab-separated field."""
    out, col = [], 1
    for f in fields:
        out.append(col)
        col += len(f) + 1
    return out


class HpoaReader:
    """Reads the lines of one HPOA TSV file into a :class:`Submission`."""

    def __init__(self, submission: Submission) -> None:
        self.sub = submission
        self.label_column = False
        self.header_line = 0
        self.data_seen = False

    def add(self, f: RuleFinding) -> None:
        self.sub.findings.append(f)

    # -- whole-file checks ------------------------------------------------------------------
    def unreadable(self, data: bytes) -> bool:
        """A UTF-16 or binary file gets one finding at 1:1 and is not read further."""
        if data.startswith(_UTF16_BOMS):
            self.add(finding("HPOA-STRUCT-ENCODING", 1, 1, "", data[:2].hex(" "),
                             "the file is UTF-16 text", "save it as UTF-8"))
            return True
        for magic, kind in _MAGIC.items():
            if data.startswith(magic):
                self.add(finding("HPOA-STRUCT-BINARY", 1, 1, "", data[:4].hex(" "),
                                 f"this is a binary file ({kind}), not tab-separated text",
                                 "export the table as tab-separated UTF-8 text"))
                return True
        nul = data.find(b"\x00", 0, 8192)
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
            self.add(finding("HPOA-STRUCT-BINARY", line, column, "", "00",
                             "the file holds NUL bytes: it is binary (or UTF-16 without a byte-order mark)",
                             "export the table as tab-separated UTF-8 text"))
            return True
        return False

    def read(self, data: bytes) -> None:
        if self.unreadable(data):
            self.sub.unreadable = True
            return
        lines = data.removeprefix(_UTF8_BOM).split(b"\n")
        while lines and not lines[-1].strip():  # the final line end, and blank lines after the last row
            lines.pop()
        for number, raw in enumerate(lines, start=1):
            text = self.decode(number, raw.removesuffix(b"\r"))
            if text is not None:
                self.line(number, text)

    def decode(self, number: int, raw: bytes) -> str | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(raw[:exc.start].decode("utf-8", "replace")) + 1
            self.add(finding("HPOA-STRUCT-ENCODING", number, column, "", raw[exc.start:exc.start + 4].hex(" "),
                             "bytes that are not UTF-8 (Latin-1 or Windows-1252 text?)",
                             "save the file as UTF-8"))
            return None
        bad = _CONTROL.search(text)
        if bad:
            char = bad.group(0)
            what = "a carriage return not followed by a line feed" if char == "\r" else f"U+{ord(char):04X}"
            self.add(finding("HPOA-STRUCT-BINARY", number, bad.start() + 1, "", f"U+{ord(char):04X}",
                             f"control character in the line: {what}", "remove it; separate fields with tabs only"))
            return None
        return text

    # -- lines ------------------------------------------------------------------------------
    def line(self, number: int, text: str) -> None:
        if text.startswith("#"):
            self.comment(number, text)
            return
        fields = text.split("\t")
        if fields[0].strip().lower() == "database_id":
            self.column_header(number, fields)
            return
        if not text.strip():
            self.add(finding("HPOA-STRUCT-FIELDS", number, 1, "", "", "empty line (no values) between rows",
                             "delete the line"))
            return
        self.data_seen = True
        self.row(number, fields)

    def comment(self, number: int, text: str) -> None:
        if self.data_seen or self.header_line:
            self.add(finding("HPOA-STRUCT-HEADER", number, 1, "", text[:40],
                             "a # header line after the column header or the annotation rows",
                             "move # header lines to the top of the file, or delete them"))
            return
        key, sep, value = text[1:].partition(":")
        if sep:
            self.sub.header[key.strip()] = value.strip()

    def column_header(self, number: int, fields: list[str]) -> None:
        if self.header_line or self.data_seen:
            where = f"line {self.header_line}" if self.header_line else "the annotation rows"
            self.add(finding("HPOA-STRUCT-HEADER", number, 1, "", fields[0],
                             f"a second column header (after {where})", "delete this line"))
            return
        self.header_line = number
        names = [f.strip() for f in fields]
        cols = _columns(fields)
        if len(names) == len(COLUMNS) + 1 and names[-1] in LABEL_COLUMNS:
            self.label_column = True
            names = names[:-1]
        for i, expected in enumerate(COLUMNS):
            got = names[i] if i < len(names) else ""
            if got != expected:
                column = cols[i] if i < len(cols) else len("\t".join(fields)) + 1
                self.add(finding("HPOA-STRUCT-HEADER", number, column, "", got,
                                 f"column {i + 1} of the header must be {expected!r}",
                                 "use the 12 HPOA column names in order (a 13th, hpo_label, is allowed)"))
                return
        if len(names) > len(COLUMNS):
            extra = len(COLUMNS)
            self.add(finding("HPOA-STRUCT-HEADER", number, cols[extra], "", names[extra],
                             f"unexpected column {names[extra]!r} after biocuration",
                             "delete it; the only extra column allowed is hpo_label"))

    def row(self, number: int, fields: list[str]) -> None:
        expected = len(COLUMNS) + (1 if self.label_column else 0)
        if len(fields) != expected:
            self.wrong_count(number, fields, expected)
            return
        raw = fields[:len(COLUMNS)]
        if _SPACED_LINE.search("\t".join(raw)):
            values = [normalise(name, cell) for name, cell in zip(COLUMNS, raw)]
        else:
            values = raw
        row = SubmittedRow(number, values, raw)
        if self.label_column:
            label = fields[-1]
            row.label = label.strip()
            row.label_position = (number, len("\t".join(raw)) + 2 + len(label) - len(label.lstrip()))
        if values != raw:
            self.spaces(row)
        self.sub.rows.append(row)

    def wrong_count(self, number: int, fields: list[str], expected: int) -> None:
        cols = _columns(fields)
        if len(fields) > expected:
            column, value = cols[expected], fields[expected]
        else:
            column, value = cols[-1] + len(fields[-1]), ""
        hint = "fields seem separated by spaces, not tabs" if len(fields) == 1 and "  " in fields[0] else ""
        self.add(finding("HPOA-STRUCT-FIELDS", number, column, "", value[:40],
                         f"expected {expected} tab-separated fields, found {len(fields)}"
                         + (f" ({hint})" if hint else ""),
                         "give every row the 12 HPOA fields, empty ones as empty strings between tabs"))

    def spaces(self, row: SubmittedRow) -> None:
        for i, (name, cell, value) in enumerate(zip(COLUMNS, row.raw, row.values)):
            if cell == value:
                continue
            if name in LIST_COLUMNS:
                for item in row.items(name):
                    if item.raw != item.text and item.text:
                        self.add(finding("HPOA-STRUCT-WHITESPACE", item.line, item.column - (len(item.raw)
                                         - len(item.raw.lstrip())), name, item.raw,
                                         "spaces around a ;-separated item", f"write {item.text!r}"))
            elif value:
                self.add(finding("HPOA-STRUCT-WHITESPACE", row.line, row.cell_start(i)[1], name, cell,
                                 "spaces around the value", f"write {cell.strip()!r}"))


def read_hpoa(path: Path, data: bytes, sha256: str) -> Submission:
    """Read an HPOA TSV submission; problems of structure become findings, never exceptions."""
    submission = Submission(path, "hpoa", sha256)
    HpoaReader(submission).read(data)
    return submission
