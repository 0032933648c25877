"""``--hpo-release URL``: download an HPO release into a local cache, once.

A release is a folder URL holding ``hp.obo``, ``phenotype.hpoa`` and
``genes_to_phenotype.txt``. Each release gets its own cache folder, keyed by a short SHA-256
of the URL, so releases never overwrite each other. Downloads are resume-safe: bytes go to
``NAME.part``, an interrupted run continues with an HTTP ``Range`` request, and only a
complete file is renamed to its final name. Complete means more than "the server stopped
sending": each file must pass the content checks of :mod:`alskg.release_check` (declared
disease counts, OBO header and last stanza, field counts, a final line end), must match its
pinned SHA-256 when one is given, and may not exceed a size cap (an endless answer is cut
off there and its ``.part`` removed). A file that fails is removed, never recorded. A
``SHA256SUMS`` file, written last, lets the next run reuse the cache without any request
(cached files are checked again, by digest and by content).

Errors are :class:`~alskg.errors.InputError` (bad URL, HTTP error status, checksum
mismatch) or :class:`~alskg.errors.EndpointError` (the server cannot be reached or stops
answering); this module never prints anything except the progress bar on a terminal.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from alskg import __version__
from alskg.atomic import write_text
from alskg.checksum import sha256_file
from alskg.errors import EndpointError, InputError
from alskg.packaged import HPO_FILES, MAX_DOWNLOAD_MIB
from alskg.release_check import check_release_file

RELEASE_FILES = HPO_FILES
SUMS_FILE = "SHA256SUMS"
BLOCK = 1 << 20  # 1 MiB: the read and hash block size
MIB = 1 << 20
USER_AGENT = f"alskg/{__version__}"
_SCHEMES = ("http", "https")
_CONTENT_RANGE = re.compile(r"bytes\s+([0-9]+)-[0-9]+/([0-9]+|\*)", re.IGNORECASE)
_NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError)


class _Bar(Protocol):
    """What a download reports progress to: one task per file."""

    def start(self, name: str, total: int | None, done: int) -> None: ...
    def advance(self, size: int) -> None: ...


# --- paths -----------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """``$ALSKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/alskg``, else ``~/.cache/alskg``."""
    if own := os.environ.get("ALSKG_CACHE_DIR"):
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "alskg"


def release_cache_dir(url: str, cache_dir: Path | None = None) -> Path:
    """The cache folder of the release at ``url``: a short SHA-256 of the (checked) URL."""
    key = hashlib.sha256(_check_url(url).encode("utf-8")).hexdigest()[:16]
    return (cache_dir if cache_dir is not None else default_cache_dir()) / f"hpo-{key}"


def release_files_present(folder: Path) -> bool:
    """True when ``folder`` holds the three HPO release files (a cheap check, no checksums)."""
    return all((folder / name).is_file() for name in RELEASE_FILES)


# --- URLs ------------------------------------------------------------------------------


def _shown(url: str) -> str:
    """The URL as safe to print: no user name, password, query or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a bad port or bracket: cut by hand, still without credentials
        return re.sub(r"//[^/]*@", "//", re.split(r"[?#]", url, maxsplit=1)[0])
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def _check_url(url: str) -> str:
    """Refuse anything but a plain http(s) folder URL; return it with a trailing ``/``.

    Credentials, queries and fragments are refused rather than half-supported: a query
    would swallow the file names appended to it, and credentials must never reach a
    cache key, a log or an error message.
    """
    shown = _shown(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise InputError("malformed release URL: give an http(s) URL of an HPO release folder",
                         value=shown) from None
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise InputError("release URL must start with http:// or https:// and name a host",
                         value=shown)
    if parts.username is not None or parts.password is not None:
        raise InputError("release URL must not contain credentials: use a public URL", value=shown)
    if parts.query or parts.fragment:
        raise InputError("release URL must be a folder URL without '?query' or '#fragment'",
                         value=shown)
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InputError("release URL contains spaces or control characters: percent-encode them",
                         value=shown)
    return url if url.endswith("/") else url + "/"


# --- checksums -------------------------------------------------------------------------


def read_sums(folder: Path) -> dict[str, str]:
    """The digests listed in ``folder/SHA256SUMS`` (``sha256sum`` format); {} when absent."""
    try:
        text = (folder / SUMS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    sums: dict[str, str] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"([0-9a-fA-F]{64}) [ *](.+)", line)
        if match:
            sums[match.group(2)] = match.group(1).lower()
    return sums


def _check_cache(folder: Path, expected: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Hash the cached release files: (digests of the good ones, names to fetch again).

    A file is bad when missing, when its digest differs from the expected one (given by
    the caller, else recorded in ``SHA256SUMS``), or when it fails the content checks (a
    cache written before they existed may hold a truncated file). A file with no expected
    digest is kept when its content passes: final names only appear by renaming a checked
    download, so it comes from an interrupted run.
    """
    sums = read_sums(folder)
    good: dict[str, str] = {}
    stale: list[str] = []
    for name in RELEASE_FILES:
        path = folder / name
        digest = sha256_file(path) if path.is_file() else None
        want = expected.get(name, sums.get(name))
        if digest is None or (want is not None and digest != want) or not _content_ok(name, path):
            stale.append(name)
        else:
            good[name] = digest
    return good, stale


def parse_pinned(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``NAME=HEX`` items (``--hpo-sha256``) as {file name: lower-case SHA-256 hex digest}."""
    pinned: dict[str, str] = {}
    for item in items:
        name, eq, digest = item.partition("=")
        digest = digest.strip().lower()
        if not eq or name not in RELEASE_FILES:
            raise InputError(f"a pinned checksum is FILE=SHA256 with FILE one of {', '.join(RELEASE_FILES)}",
                             value=item)
        if len(digest) != 64 or not all(ch in "0123456789abcdef" for ch in digest):
            raise InputError("a SHA-256 checksum is 64 hexadecimal digits", value=item)
        if pinned.get(name, digest) != digest:
            raise InputError(f"two different checksums pinned for {name}", value=item)
        pinned[name] = digest
    return pinned


def _content_ok(name: str, path: Path) -> bool:
    try:
        check_release_file(name, path)
    except InputError:
        return False
    return True


def _expected(checksums: dict[str, str] | None) -> dict[str, str]:
    """Normalise caller-given digests; an unknown file name is a mistake, not a no-op."""
    out = {name: digest.strip().lower() for name, digest in (checksums or {}).items()}
    unknown = sorted(set(out) - set(RELEASE_FILES))
    if unknown:
        raise InputError(f"checksums given for unknown file(s) {', '.join(unknown)}: "
                         f"use {', '.join(RELEASE_FILES)}", value=unknown[0])
    return out


# --- progress --------------------------------------------------------------------------


class _Silent:
    """The progress sink used when stderr is not a terminal: does nothing."""

    def start(self, name: str, total: int | None, done: int) -> None:
        return None

    def advance(self, size: int) -> None:
        return None


class _RichBar:
    """A rich progress bar on stderr: bytes, speed and time left, one line per file."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, name: str, total: int | None, done: int) -> None:
        if self._task is None:
            self._task = self._progress.add_task(name, total=total, completed=done)
        else:  # a restart from zero (the server ignored Range) reuses the line
            self._progress.reset(self._task, total=total, completed=done, description=name)

    def advance(self, size: int) -> None:
        self._progress.advance(self._task, size)


@contextmanager
def _progress_bars(show: bool) -> Iterator[Any]:
    """Yield a factory of per-file bars: rich ones on stderr when ``show``, silent ones else."""
    if not show:
        yield _Silent
        return
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                               TimeRemainingColumn, TransferSpeedColumn)

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield lambda: _RichBar(progress)


# --- HTTP ------------------------------------------------------------------------------


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (release assets usually redirect) but only to http(s) URLs."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in _SCHEMES:
            raise InputError("release URL redirects to a non-http(s) URL: use a direct http(s) URL",
                             value=_shown(req.full_url))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def _network_error(exc: BaseException, url: str, timeout: float) -> InputError:
    """Turn a urllib/http.client/socket exception into one readable line."""
    if isinstance(exc, urllib.error.HTTPError):
        exc.close()
        return InputError(f"server answered HTTP {exc.code} {exc.reason}: check that the URL "
                          "is an HPO release folder holding this file", value=_shown(url))
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return EndpointError(f"no answer within {timeout:g} s: check the network or raise the "
                             "timeout, then run again to resume", value=_shown(url))
    if isinstance(exc, http.client.InvalidURL):
        return InputError(f"malformed URL ({exc}): check the release URL", value=_shown(url))
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return EndpointError(f"cannot download ({text}): check the network and the URL, then run "
                         "again to resume", value=_shown(url))


def _open(url: str, offset: int, timeout: float) -> http.client.HTTPResponse:
    """GET ``url``, asking for the bytes from ``offset`` on when it is positive."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = _OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # the .part is not a prefix of the file: start over
            exc.close()
            return _open(url, 0, timeout)
        raise _network_error(exc, url, timeout) from None
    except _NETWORK_ERRORS as exc:
        raise _network_error(exc, url, timeout) from None
    if response.status not in (200, 206):
        response.close()
        raise InputError(f"server answered HTTP {response.status} instead of 200 or 206: "
                         "check the release URL", value=_shown(url))
    return response


def _resume_offset(response: http.client.HTTPResponse, offset: int) -> int | None:
    """Where the response body starts: ``offset`` for a matching 206, 0 for a 200, else None."""
    if response.status == 200:
        return 0
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    return offset if match and int(match.group(1)) == offset else None


def _body_size(response: http.client.HTTPResponse) -> int | None:
    """The announced body length, when the server gave a usable Content-Length."""
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isascii() and value.isdigit() else None


class _TooLarge(InputError):
    """A file over the size cap: its ``.part`` is removed, not resumed."""


def _too_large(url: str, max_bytes: int) -> InputError:
    return _TooLarge(f"the file is larger than the download cap of {max_bytes / MIB:g} MiB: check the "
                      "URL, or raise the cap with --max-download-mib", value=_shown(url))


def _copy_body(response: http.client.HTTPResponse, handle: IO[bytes], url: str,
               timeout: float, bar: _Bar, room: int, max_bytes: int) -> int:
    """Copy the response into ``handle`` block by block, at most ``room`` bytes; return the
    bytes copied. More than that is an endless or wrong answer: an error."""
    copied = 0
    while True:
        try:
            block = response.read(min(BLOCK, room - copied + 1))
        except _NETWORK_ERRORS as exc:
            raise _network_error(exc, url, timeout) from None
        if not block:
            return copied
        if copied + len(block) > room:
            raise _too_large(url, max_bytes)
        handle.write(block)
        copied += len(block)
        bar.advance(len(block))


def _download(url: str, part: Path, timeout: float, bar: _Bar, max_bytes: int) -> None:
    """Bring ``part`` up to the whole file at ``url``, resuming from its current size, never
    past ``max_bytes`` (then the ``.part`` is removed: resuming it would only grow it)."""
    try:
        _download_capped(url, part, timeout, bar, max_bytes)
    except _TooLarge:
        part.unlink(missing_ok=True)
        raise


def _download_capped(url: str, part: Path, timeout: float, bar: _Bar, max_bytes: int) -> None:
    offset = part.stat().st_size if part.is_file() else 0
    if offset > max_bytes:
        raise _too_large(url, max_bytes)
    response = _open(url, offset, timeout)
    with response:
        start = _resume_offset(response, offset)
        if start is None and not offset:
            raise InputError("server answered 206 to a request without Range: check the URL",
                             value=_shown(url))
        if start is None:  # a 206 for some other range: ask again for the whole file
            response.close()
            part.unlink()
            return _download_capped(url, part, timeout, bar, max_bytes)
        size = _body_size(response)
        if size is not None and start + size > max_bytes:
            raise _too_large(url, max_bytes)
        bar.start(part.name.removesuffix(".part"), None if size is None else start + size, start)
        with part.open("r+b" if start else "wb") as handle:
            handle.truncate(start)
            handle.seek(start)
            copied = _copy_body(response, handle, url, timeout, bar, max_bytes - start, max_bytes)
    if size is not None and copied < size:
        raise EndpointError(f"connection closed after {start + copied} of {start + size} bytes: "
                            "run again to resume", value=_shown(url))


def _fetch_file(base: str, folder: Path, name: str, expected: str | None,
                timeout: float, bar: _Bar, max_bytes: int) -> str:
    """Download one release file into ``folder``; verify it (pinned digest, content); rename
    it in; return its digest. A file that fails is removed, so nothing records its digest."""
    url, part, final = base + name, folder / f"{name}.part", folder / name
    _download(url, part, timeout, bar, max_bytes)
    digest = sha256_file(part)
    if expected is not None and digest != expected:
        part.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        raise InputError(f"checksum mismatch for {name}: expected {expected}, got {digest}; "
                         "check the URL and the expected checksum", value=_shown(url))
    try:
        check_release_file(name, part)
    except InputError as exc:
        part.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        raise InputError(exc.message, _shown(url), exc.line, value=exc.value) from None
    os.replace(part, final)
    return digest


# --- the entry point -------------------------------------------------------------------


def fetch_release(url: str, cache_dir: Path | None = None, *, progress: bool | None = None,
                  timeout: float = 60.0, checksums: dict[str, str] | None = None,
                  max_bytes: int = MAX_DOWNLOAD_MIB * MIB) -> Path:
    """Download the HPO release at folder URL ``url`` into the cache; return its folder.

    A release already complete in the cache (every file matching ``SHA256SUMS`` and, when
    given, ``checksums``) is returned at once without any request; a missing or corrupted
    file is fetched again, resuming a ``.part`` left by an interrupted run. ``progress``
    shows a bar on stderr (default: only when stderr is a terminal); ``timeout`` bounds
    each connect and read, in seconds; ``checksums`` maps file names to expected SHA-256
    hex digests; ``max_bytes`` caps the size of each file.
    """
    base, expected = _check_url(url), _expected(checksums)
    folder = release_cache_dir(base, cache_dir)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        digests, stale = _check_cache(folder, expected) if folder.is_dir() else ({}, list(RELEASE_FILES))
        if stale:
            folder.mkdir(parents=True, exist_ok=True)
            with _progress_bars(show) as new_bar:
                for name in stale:
                    digests[name] = _fetch_file(base, folder, name, expected.get(name),
                                                timeout, new_bar(), max_bytes)
        if read_sums(folder) != digests:
            write_text(folder / SUMS_FILE, "".join(f"{digests[n]}  {n}\n" for n in RELEASE_FILES))
    except OSError as exc:  # network errors are converted where they happen: this is the disk
        raise InputError(f"cannot use the download cache ({exc.strerror or exc}): "
                         "set ALSKG_CACHE_DIR to a writable folder", folder) from None
    return folder


# --- MONDO mapping sets (``--mondo-release URL``) ---------------------------------------


def mondo_cache_dir(url: str, cache_dir: Path | None = None) -> Path:
    """The cache folder of the MONDO mapping sets at ``url``: a short SHA-256 of the URL."""
    key = hashlib.sha256(_check_url(url).encode("utf-8")).hexdigest()[:16]
    return (cache_dir if cache_dir is not None else default_cache_dir()) / f"mondo-{key}"


def _pinned_sums(base: str) -> dict[str, str]:
    """The manifest's SHA-256 of each file when ``base`` is the pinned release's URL, else {}."""
    from alskg.mondo import packaged_mondo_dir, read_manifest

    manifest = read_manifest(packaged_mondo_dir()) or {}
    if str(manifest.get("release_url", "")).rstrip("/") != base.rstrip("/"):
        return {}
    files = manifest.get("files", {})
    return {name: entry["sha256"] for name, entry in files.items()} if isinstance(files, dict) else {}


def fetch_mondo_release(url: str, cache_dir: Path | None = None, *, progress: bool | None = None,
                        timeout: float = 60.0, max_bytes: int = MAX_DOWNLOAD_MIB * MIB) -> Path:
    """Download MONDO's six SSSOM mapping sets from folder URL ``url`` into the cache; return it.

    Same mechanism as :func:`fetch_release` (resumed ``.part`` files, ``SHA256SUMS`` written
    last, no request when the cache is complete). The pinned release's URL is checked against
    the SHA-256 sums of ``data/mondo/manifest.json``; any release is checked for content: every
    file must be an SSSOM table with a ``mapping_set_version`` header, all of one release.
    """
    from alskg.mondo import MONDO_FILES, describe
    from alskg.sources.sssom import iter_mappings

    base = _check_url(url)
    folder = mondo_cache_dir(base, cache_dir)
    expected = _pinned_sums(base)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sums = read_sums(folder)
        digests: dict[str, str] = {}
        with _progress_bars(show) as new_bar:
            for name in MONDO_FILES:
                path = folder / name
                digest = sha256_file(path) if path.is_file() else None
                want = expected.get(name, sums.get(name))
                if digest is None or (want is not None and digest != want):
                    digest = _fetch_file(base, folder, name, expected.get(name), timeout, new_bar(), max_bytes)
                digests[name] = digest
        for name in MONDO_FILES:  # content: a header row with the required columns
            try:
                next(iter_mappings(folder / name), None)
            except InputError:
                (folder / name).unlink(missing_ok=True)  # not kept: the next run fetches it again
                raise
        describe(folder)
        if read_sums(folder) != digests:
            write_text(folder / SUMS_FILE, "".join(f"{digests[n]}  {n}\n" for n in MONDO_FILES))
    except OSError as exc:
        raise InputError(f"cannot use the download cache ({exc.strerror or exc}): "
                         "set ALSKG_CACHE_DIR to a writable folder", folder) from None
    return folder
