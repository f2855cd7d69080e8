"""Fetch: download newly published packets from the sources in sources.toml into raw/.

For each source (a listing page of one body's meetings) the fetcher reads the
listing, its further pages and one detail page per meeting, collects the PDF
links of the content area (``pipeline.fetch_listing`` does the reading, with no
I/O) and downloads each PDF it has not got yet:

* politely: robots.txt is honoured, at most ``rate`` requests a second per host,
  a User-Agent naming the project, retries with exponential backoff (or the
  server's Retry-After) on timeouts, broken connections and 5xx;
* safely: bytes stream to a hidden temporary file beside the target (ingest skips
  dot files), must start like a PDF and stay under the size limit, must match
  Content-Length, and only then are renamed into ``raw/<folder>/<fiscal year>/``
  in one step. A failed download leaves nothing in raw/;
* incrementally: the warehouse table ``fetches`` keeps each URL's ETag,
  Last-Modified, sha256 and path, so a re-run sends conditional requests (304:
  nothing downloaded) and a republished file (new bytes, same URL) replaces the
  old file at the same path, which the next ingest turns into a replaced document.
"""
from __future__ import annotations

import email.utils
import hashlib
import os
import time
import tomllib
import urllib.robotparser
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline import __version__, load
from pipeline.discover import file_to_sha256
from pipeline.fetch_listing import (DEFAULT_MEETING_PATTERN, Document, Meeting, bytes_to_text, html_to_page,
                                    page_to_documents, page_to_listing, text_to_date, url_to_canonical,
                                    url_to_filename, url_to_host)

DEFAULT_SOURCES_FILE = Path("sources.toml")
#: Requests per second per host; 0 = no limit (tests).
DEFAULT_RATE = 1.0
#: Seconds to connect, and between two reads of a response.
DEFAULT_TIMEOUT = 30.0
#: Further attempts after a timeout, a broken connection or a 5xx.
DEFAULT_RETRIES = 3
#: First wait before a retry, doubled each time (2, 4, 8 s).
DEFAULT_BACKOFF = 2.0
#: A Retry-After longer than this is not waited for: the download fails for this run.
DEFAULT_MAX_RETRY_AFTER = 120.0
#: Largest PDF accepted (the sample packets are about 1 MB).
DEFAULT_MAX_MB = 200.0
#: Largest HTML page read.
DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024
#: Pages of one listing followed through its pagination.
DEFAULT_MAX_LISTING_PAGES = 20
DEFAULT_MAX_REDIRECTS = 5
#: Product token of the User-Agent; robots.txt groups naming it apply to us.
USER_AGENT_TOKEN = "onetoyama-pipeline"
#: Temporary files older than this are leftovers of a killed run and are removed.
_STALE_PART_SECONDS = 3600
_PART_SUFFIX = ".part"
_SETTINGS_KEYS = {"rate", "timeout", "retries", "backoff", "max_retry_after", "max_mb", "max_listing_pages",
                  "contact"}
_SOURCE_KEYS = {"name", "body", "url", "hosts", "raw", "rate", "match", "content", "detail"}
_MANIFEST_COLUMNS = ("url", "source", "title_seen", "date_seen", "etag", "last_modified", "sha256", "path",
                     "status", "fetched_at", "meeting_seen", "page_url", "final_url", "size", "message",
                     "checked_at")


class SourcesError(ValueError):
    """sources.toml (or --source) is not usable; the message names the entry and key."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch (``[settings]`` of sources.toml)."""

    rate: float = DEFAULT_RATE
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    max_mb: float = DEFAULT_MAX_MB
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    contact: str | None = None  # an address site operators can write to, put in the User-Agent

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    @property
    def user_agent(self) -> str:
        extra = f"; +{self.contact}" if self.contact else ""
        return f"{USER_AGENT_TOKEN}/{__version__} (meeting-packet fetcher{extra}) python-httpx/{httpx.__version__}"


@dataclass(frozen=True)
class Source:
    """One watched listing page (a ``[[source]]`` of sources.toml)."""

    name: str
    url: str
    hosts: frozenset[str]
    raw: str  # sub-folder of raw/ its PDFs go to
    body: str = ""
    rate: float | None = None  # None: the settings' rate
    match: str = DEFAULT_MEETING_PATTERN  # regex a meeting's link text (or heading) matches
    content: str | None = None  # #id / .class / tag of the content area, when the defaults miss it
    detail: bool = True  # follow each meeting's detail page (one level down)


@dataclass(frozen=True)
class FetchOptions:
    raw_dir: Path = Path("raw")
    db_path: Path = Path("warehouse/meetings.duckdb")
    dry_run: bool = False
    since: date | None = None  # only meetings held on or after this day (undated ones too)
    lock_timeout: float = load.DEFAULT_LOCK_TIMEOUT


@dataclass
class Outcome:
    """What happened to one URL in this run.

    status: new, updated, unchanged, duplicate, failed, skipped (on purpose:
    robots.txt, another host), older (before --since), or in a dry run
    would-fetch / would-check.
    """

    url: str
    source: str
    status: str
    message: str = ""
    path: str | None = None  # relative to raw/
    size: int | None = None


@dataclass
class FetchSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    requests: int = 0
    bytes_downloaded: int = 0

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def failed(self) -> int:
        return self.count("failed")


# --- sources.toml ------------------------------------------------------------------------------

def _number(value, where: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise SourcesError(f"{where} must be a number >= {minimum:g}, not {value!r}")
    return float(value)


def toml_to_sources(text: str, *, origin: str = "sources.toml") -> tuple[FetchSettings, list[Source]]:
    """Read sources.toml strictly: an unknown key, a missing url or a bad value is an error
    naming the entry, so that a typo is not silently a default.

    Raises:
        SourcesError: with the file, entry and key in the message.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{origin}: {e}") from e
    unknown = set(data) - {"settings", "source"}
    if unknown:
        raise SourcesError(f"{origin}: unknown table(s) {sorted(unknown)}; expected [settings] and [[source]]")
    raw_settings = data.get("settings", {})
    bad = set(raw_settings) - _SETTINGS_KEYS
    if bad:
        raise SourcesError(f"{origin}: [settings] has unknown key(s) {sorted(bad)}; known: {sorted(_SETTINGS_KEYS)}")
    kw: dict = {}
    for key in ("rate", "timeout", "backoff", "max_retry_after", "max_mb"):
        if key in raw_settings:
            kw[key] = _number(raw_settings[key], f"{origin}: [settings] {key}",
                              minimum=0.001 if key in ("timeout", "max_mb") else 0.0)
    for key in ("retries", "max_listing_pages"):
        if key in raw_settings:
            v = raw_settings[key]
            if isinstance(v, bool) or not isinstance(v, int) or v < (1 if key == "max_listing_pages" else 0):
                raise SourcesError(f"{origin}: [settings] {key} must be a whole number, not {v!r}")
            kw[key] = v
    if "contact" in raw_settings:
        kw["contact"] = str(raw_settings["contact"])
    settings = FetchSettings(**kw)

    sources: list[Source] = []
    for i, entry in enumerate(data.get("source", []), 1):
        where = f"{origin}: [[source]] #{i}"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where} is not a table")
        if "name" in entry:
            where = f"{origin}: source {entry['name']!r}"
        bad = set(entry) - _SOURCE_KEYS
        if bad:
            raise SourcesError(f"{where} has unknown key(s) {sorted(bad)}; known: {sorted(_SOURCE_KEYS)}")
        for key in ("name", "url", "raw"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise SourcesError(f"{where}: '{key}' is required (a string)")
        url = entry["url"].strip()
        if urlsplit(url).scheme not in ("http", "https") or not url_to_host(url):
            raise SourcesError(f"{where}: url {url!r} is not an http(s) address")
        hosts = entry.get("hosts", [url_to_host(url)])
        if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
            raise SourcesError(f"{where}: 'hosts' must be a list of host names")
        raw = entry["raw"].strip().strip("/")
        if raw.startswith((".", "~")) or ".." in Path(raw).parts or Path(raw).is_absolute() or "\\" in raw:
            raise SourcesError(f"{where}: 'raw' must be a plain sub-folder of raw/, not {entry['raw']!r}")
        match = entry.get("match", DEFAULT_MEETING_PATTERN)
        try:
            import regex

            regex.compile(match)
        except (regex.error, TypeError) as e:
            raise SourcesError(f"{where}: 'match' is not a regular expression: {e}") from e
        if "detail" in entry and not isinstance(entry["detail"], bool):
            raise SourcesError(f"{where}: 'detail' must be true or false")
        for key in ("body", "content"):
            if key in entry and not isinstance(entry[key], str):
                raise SourcesError(f"{where}: '{key}' must be a string")
        sources.append(Source(
            name=entry["name"].strip(), url=url_to_canonical(url),
            hosts=frozenset(h.lower() for h in hosts) | {url_to_host(url)}, raw=raw,
            body=str(entry.get("body", "")),
            rate=_number(entry["rate"], f"{where}: rate") if "rate" in entry else None,
            match=match, content=entry.get("content"), detail=entry.get("detail", True)))
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourcesError(f"{origin}: source name(s) {dupes} used twice")
    return settings, sources


def load_sources(path: Path) -> tuple[FetchSettings, list[Source]]:
    """Read a sources file (see toml_to_sources)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise SourcesError(f"cannot read {path}: {e.strerror or e}") from e
    return toml_to_sources(text, origin=str(path))


def url_to_source(url: str) -> Source:
    """A listing page given on the command line: default settings, its own host allowed,
    PDFs under raw/<host>/."""
    if urlsplit(url).scheme not in ("http", "https") or not url_to_host(url):
        raise SourcesError(f"--source {url!r} is neither a source name nor an http(s) address")
    host = url_to_host(url)
    return Source(name=host, url=url_to_canonical(url), hosts=frozenset({host}), raw=host)


def select_sources(sources: list[Source], wanted: str | None) -> list[Source]:
    """All sources, the one named ``wanted``, or an ad-hoc source for a URL."""
    if wanted is None:
        return sources
    for s in sources:
        if s.name == wanted:
            return [s]
    if "://" in wanted:
        return [url_to_source(wanted)]
    known = ", ".join(s.name for s in sources) or "none"
    raise SourcesError(f"no source named {wanted!r} (known: {known}); give a name from sources.toml or a URL")


# --- HTTP --------------------------------------------------------------------------------------

class _Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` is the server's wish, in seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class FetchFailed(Exception):
    """A URL could not be fetched; the message says why, for the user."""


class Skipped(Exception):
    """A URL not fetched on purpose (robots.txt, another host)."""


def retry_after_to_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait: ``120`` or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _status_text(resp: httpx.Response) -> str:
    return f"HTTP {resp.status_code} {resp.reason_phrase}".strip()


@dataclass
class _Download:
    status: int  # 200 or 304
    final_url: str
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int | None = None


class Http:
    """One HTTP client for a run: throttle per host, robots.txt, retries, redirects within hosts."""

    def __init__(self, settings: FetchSettings, notice: Callable[[str], None] = lambda s: None):
        self.settings = settings
        self.notice = notice
        self.client = httpx.Client(headers={"User-Agent": settings.user_agent},
                                   timeout=httpx.Timeout(settings.timeout), follow_redirects=False)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchFailed] = {}
        self.requests = 0
        self.bytes = 0

    def close(self) -> None:
        self.client.close()

    # politeness
    def _interval(self, url: str, rate: float) -> float:
        interval = 1.0 / rate if rate > 0 else 0.0
        robots = self._robots.get(_origin(url))
        if isinstance(robots, urllib.robotparser.RobotFileParser):
            delay = robots.crawl_delay(USER_AGENT_TOKEN)
            if delay:
                interval = max(interval, float(delay))
        return interval

    def _wait_turn(self, url: str, rate: float) -> None:
        host = url_to_host(url)
        interval = self._interval(url, rate)
        last = self._last.get(host)
        if last is not None and interval > 0:
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last[host] = time.monotonic()
        self.requests += 1

    def allowed_by_robots(self, url: str, rate: float) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (read once per host).

        A missing robots.txt (4xx) allows everything; one that cannot be read
        (5xx, no connection, after the retries) raises FetchFailed, as the
        robots standard asks crawlers to assume everything disallowed then.
        """
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin, rate)
        robots = self._robots[origin]
        if isinstance(robots, FetchFailed):
            raise FetchFailed(str(robots))
        return robots.can_fetch(USER_AGENT_TOKEN, url)

    def _read_robots(self, origin: str, rate: float):
        url = f"{origin}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(url)

        def attempt():
            with self._open(url, frozenset({url_to_host(url)}), rate, {}, check_robots=False) as (resp, _):
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise _Retryable(_status_text(resp), retry_after_to_seconds(resp.headers.get("retry-after")))
                if resp.status_code >= 400:
                    return []  # no robots.txt: everything allowed
                body = _read_limited(resp, DEFAULT_MAX_PAGE_BYTES, url)
                return body.decode("utf-8", errors="replace").splitlines()

        try:
            lines = self._with_retries(url, attempt)
        except (FetchFailed, Skipped) as e:
            return FetchFailed(f"robots.txt of {urlsplit(origin).netloc} could not be read ({e}); "
                               "nothing is fetched from that host until it can")
        parser.parse(lines)
        return parser

    @contextmanager
    def _open(self, url: str, hosts: frozenset[str], rate: float, headers: dict,
              *, check_robots: bool = True) -> Iterator[tuple[httpx.Response, str]]:
        """GET ``url`` as a stream, following redirects only within ``hosts`` (and robots.txt)."""
        current = url
        for _ in range(DEFAULT_MAX_REDIRECTS + 1):
            host = url_to_host(current)
            if host not in hosts:
                raise Skipped(f"redirected to another host ({host}); add it to the source's hosts to follow it")
            if check_robots and not self.allowed_by_robots(current, rate):
                raise Skipped(f"disallowed by robots.txt of {host}"
                              + (f" (redirected to {current})" if current != url else ""))
            self._wait_turn(current, rate)
            resp = self.client.send(self.client.build_request("GET", current, headers=headers), stream=True)
            if resp.is_redirect and resp.headers.get("location"):
                current = url_to_canonical(urljoin(current, resp.headers["location"]))
                resp.close()
                continue
            try:
                yield resp, current
            finally:
                resp.close()
            return
        raise FetchFailed(f"more than {DEFAULT_MAX_REDIRECTS} redirects")

    def _with_retries(self, url: str, attempt: Callable):
        """Run ``attempt`` until it succeeds, retrying timeouts, broken connections and 5xx."""
        s = self.settings
        for n in range(s.retries + 1):
            try:
                return attempt()
            except httpx.TimeoutException:
                problem = _Retryable(f"no answer within the {s.timeout:g} s timeout")
            except httpx.TransportError as e:
                problem = _Retryable(f"connection broken ({type(e).__name__}: {e})")
            except _Retryable as e:
                problem = e
            if n == s.retries:
                tries = f"{s.retries + 1} attempts" if s.retries else "1 attempt"
                raise FetchFailed(f"{problem} ({tries})")
            delay = problem.retry_after if problem.retry_after is not None else s.backoff * 2 ** n
            if delay > s.max_retry_after:
                raise FetchFailed(f"{problem}; the server asks to retry after {delay:.0f} s, more than the "
                                  f"{s.max_retry_after:g} s allowed (max_retry_after): try again later")
            self.notice(f"retrying {url} in {delay:.1f} s: {problem}")
            if delay > 0:
                time.sleep(delay)
        raise AssertionError("unreachable")

    def get_page(self, url: str, hosts: frozenset[str], rate: float) -> tuple[str, str]:
        """Fetch and decode an HTML page; returns (text, final URL)."""

        def attempt():
            with self._open(url, hosts, rate, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.5"}) as (resp, final):
                if resp.status_code >= 500 or resp.status_code in (408, 429):
                    raise _Retryable(_status_text(resp), retry_after_to_seconds(resp.headers.get("retry-after")))
                if resp.status_code != 200:
                    raise FetchFailed(_status_text(resp))
                body = _read_limited(resp, DEFAULT_MAX_PAGE_BYTES, url)
                text, _codec = bytes_to_text(body, resp.headers.get("content-type"))
                return text, final

        return self._with_retries(url, attempt)

    def download(self, url: str, hosts: frozenset[str], rate: float, part: Path,
                 conditional: dict[str, str]) -> _Download:
        """Stream a PDF into ``part`` (created or truncated per attempt).

        Returns a 304 result (nothing written) when the conditional headers match.

        Raises:
            FetchFailed: not a PDF, too large, 4xx, or still failing after the retries.
            Skipped: robots.txt or a redirect to another host.
        """
        limit = self.settings.max_bytes

        def attempt() -> _Download:
            with self._open(url, hosts, rate, {"Accept": "application/pdf,*/*;q=0.5", **conditional}) as (resp, final):
                if resp.status_code == 304 and conditional:
                    return _Download(304, final)
                if resp.status_code >= 500 or resp.status_code in (408, 429):
                    raise _Retryable(_status_text(resp), retry_after_to_seconds(resp.headers.get("retry-after")))
                if resp.status_code != 200:
                    raise FetchFailed(_status_text(resp))
                declared = _content_length(resp)
                if declared is not None and declared > limit:
                    raise FetchFailed(f"{declared / 1048576:.1f} MB is over the size limit of "
                                      f"{self.settings.max_mb:g} MB (max_mb)")
                sha = hashlib.sha256()
                head = b""
                size = 0
                with open(part, "wb") as fh:
                    for chunk in resp.iter_bytes():
                        if len(head) < 1024:
                            head += chunk[:1024 - len(head)]
                            if len(head) >= 1024:
                                _check_pdf(head, resp)
                        size += len(chunk)
                        if size > limit:
                            raise FetchFailed(f"more than the size limit of {self.settings.max_mb:g} MB (max_mb)")
                        sha.update(chunk)
                        fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                self.bytes += resp.num_bytes_downloaded
                if declared is not None and resp.num_bytes_downloaded != declared:
                    raise _Retryable(f"connection closed after {resp.num_bytes_downloaded} of {declared} bytes")
                _check_pdf(head, resp)
                return _Download(200, final, resp.headers.get("etag"), resp.headers.get("last-modified"),
                                 sha.hexdigest(), size)

        return self._with_retries(url, attempt)


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _content_length(resp: httpx.Response) -> int | None:
    value = resp.headers.get("content-length")
    if value is None or "content-encoding" in resp.headers:
        return None  # with gzip the length is of the compressed bytes: num_bytes_downloaded counts those
    try:
        return int(value)
    except ValueError:
        return None


def _read_limited(resp: httpx.Response, limit: int, url: str) -> bytes:
    chunks, size = [], 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchFailed(f"page larger than {limit // 1048576} MB")
        chunks.append(chunk)
    declared = _content_length(resp)
    if declared is not None and resp.num_bytes_downloaded != declared:
        raise _Retryable(f"connection closed after {resp.num_bytes_downloaded} of {declared} bytes")
    return b"".join(chunks)


def _check_pdf(head: bytes, resp: httpx.Response) -> None:
    """A PDF starts with %PDF- within its first 1024 bytes; an HTML error page served under a
    .pdf name does not."""
    if b"%PDF-" in head[:1024]:
        return
    ctype = resp.headers.get("content-type", "no content type").split(";")[0].strip()
    what = f"the server sent {ctype}"
    if b"<" in head[:200]:
        try:
            title = html_to_page(bytes_to_text(head, resp.headers.get("content-type"))[0], str(resp.url)).title
        except Exception:  # a fragment that is not even HTML: the content type says enough
            title = ""
        what += f", an HTML page titled {title!r}" if title else ", an HTML page"
    raise FetchFailed(f"not a PDF ({what}); nothing saved")


# --- the manifest ------------------------------------------------------------------------------

def _read_manifest(con) -> dict[str, dict]:
    cur = con.execute(f"select {', '.join(_MANIFEST_COLUMNS)} from fetches")
    return {row[0]: dict(zip(_MANIFEST_COLUMNS, row)) for row in cur.fetchall()}


def _read_manifest_readonly(db_path: Path, lock_timeout: float) -> dict[str, dict]:
    """The manifest for a dry run: nothing is created or written."""
    if not Path(db_path).exists():
        return {}
    import duckdb

    con = load.connect(db_path, lock_timeout=lock_timeout, read_only=True)
    try:
        return _read_manifest(con)
    except duckdb.Error:
        return {}  # a warehouse made before fetch existed
    finally:
        con.close()


def _open_manifest(opts: FetchOptions, notice: Callable[[str], None]) -> dict[str, dict]:
    """Create the tables if needed (a warehouse of an older schema is rebuilt, as ingest would)
    and read the manifest; the warehouse is not held while pages are fetched."""
    con = load.connect(opts.db_path, lock_timeout=opts.lock_timeout, on_wait=notice)
    try:
        load.ensure_schema(con)
        return _read_manifest(con)
    finally:
        con.close()


def _write_manifest(opts: FetchOptions, rows: list[dict], notice: Callable[[str], None]) -> None:
    """Upsert this run's rows in one transaction."""
    if not rows:
        return
    cols = ", ".join(_MANIFEST_COLUMNS)
    marks = ", ".join("?" for _ in _MANIFEST_COLUMNS)
    con = load.connect(opts.db_path, lock_timeout=opts.lock_timeout, on_wait=notice)
    try:
        load.ensure_schema(con)  # rebuilt meanwhile by another pipeline version: the table is back
        con.execute("begin")
        con.executemany(f"insert or replace into fetches ({cols}) values ({marks})",
                        [[row.get(c) for c in _MANIFEST_COLUMNS] for row in rows])
        con.execute("commit")
    finally:
        con.close()


# --- the run -----------------------------------------------------------------------------------

@dataclass
class _Found:
    """A PDF link found in this run, with its source."""

    doc: Document
    source: Source


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _sweep_parts(folder: Path) -> None:
    """Remove temporary files a killed run left behind (hidden, so ingest never saw them)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - _STALE_PART_SECONDS
    for p in folder.rglob(f".*{_PART_SUFFIX}"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def _prune_empty(folder: Path, stop: Path) -> None:
    """Remove folders this run created for a file that never came, up to ``stop``."""
    folder, stop = folder.resolve(), stop.resolve()
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _with_hash(rel: str, url: str) -> str:
    stem, dot, suffix = rel.rpartition(".")
    return f"{stem}-{hashlib.sha1(url.encode()).hexdigest()[:8]}{dot}{suffix}"


class _Run:
    """State of one fetch run: the manifest, paths claimed, outcomes."""

    def __init__(self, opts: FetchOptions, settings: FetchSettings, http: Http,
                 manifest: dict[str, dict], progress: Callable[[str], None]):
        self.opts, self.settings, self.http = opts, settings, http
        self.rows: dict[str, dict] = {}  # manifest rows to write, by URL
        self.manifest = manifest
        self.progress = progress
        self.summary = FetchSummary()
        self.reported: set[str] = set()
        self.claimed: dict[str, str] = {r["path"]: u for u, r in manifest.items() if r.get("path")}
        self.by_sha: dict[str, str] = {r["sha256"]: r["path"] for r in manifest.values()
                                       if r.get("sha256") and r.get("path")}

    def rate(self, source: Source) -> float:
        return self.settings.rate if source.rate is None else source.rate

    def record(self, outcome: Outcome, row: dict | None = None) -> None:
        self.summary.outcomes.append(outcome)
        if row is not None and not self.opts.dry_run:
            self.rows[row["url"]] = row

    def _row(self, found: _Found | None, url: str, source: str, status: str, message: str = "",
             **values) -> dict:
        prev = dict(self.manifest.get(url) or {})
        row = {**prev, "url": url, "source": source, "status": status, "message": message or None,
               "checked_at": _now()}
        if found is not None:
            row.update(title_seen=found.doc.title, date_seen=found.doc.meeting.held_on,
                       meeting_seen=found.doc.meeting.title, page_url=found.doc.page_url)
        row.update(values)
        self.manifest[url] = row
        return row

    def skip(self, url: str, source: Source, reason: str, found: _Found | None = None,
             status: str = "skipped") -> None:
        if url in self.reported:
            return  # the same off-limits link on several pages: reported once
        self.reported.add(url)
        row = None
        if status == "skipped":
            row = self._row(found, url, source.name, "skipped", reason)
        self.record(Outcome(url, source.name, status, reason), row)

    def fail(self, url: str, source: Source, reason: str, found: _Found | None = None) -> None:
        row = self._row(found, url, source.name, "failed", reason) if found is not None else None
        self.record(Outcome(url, source.name, "failed", reason), row)

    # discovery
    def crawl(self, source: Source) -> list[_Found]:
        """Listing pages (with pagination) and detail pages → the PDF links of the source's meetings."""
        found: dict[str, _Found] = {}
        queue, seen, details = [source.url], set(), set()
        while queue and len(seen) < self.settings.max_listing_pages:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            page = self._page(url, source, "listing page")
            if page is None:
                continue
            listing = page_to_listing(page, hosts=source.hosts, pattern=source.match)
            for link, reason in listing.skipped:
                self.skip(link, source, reason)
            for doc in listing.documents:
                found.setdefault(doc.url, _Found(doc, source))
            queue.extend(u for u in listing.next_pages if u not in seen and u not in queue)
            for meeting in listing.meetings if source.detail else ():
                if meeting.url in details:
                    continue  # linked from two listing pages: read once
                details.add(meeting.url)
                if self._older(meeting):
                    self.skip(meeting.url, source, f"meeting held {meeting.held_on}, before --since", status="older")
                    continue
                detail = self._page(meeting.url, source, "detail page")
                if detail is None:
                    continue
                docs, skipped = page_to_documents(detail, meeting, hosts=source.hosts)
                for link, reason in skipped:
                    self.skip(link, source, reason)
                for doc in docs:
                    found.setdefault(doc.url, _Found(doc, source))
        if queue:
            self.progress(f"{source.name}: stopped after {self.settings.max_listing_pages} listing pages "
                          "(max_listing_pages)")
        return list(found.values())

    def _older(self, meeting: Meeting) -> bool:
        return self.opts.since is not None and meeting.held_on is not None and meeting.held_on < self.opts.since

    def _page(self, url: str, source: Source, what: str):
        try:
            text, final = self.http.get_page(url, source.hosts, self.rate(source))
        except Skipped as e:
            self.skip(url, source, f"{what}: {e}")
            return None
        except FetchFailed as e:
            self.fail(url, source, f"{what}: {e}")
            return None
        self.progress(f"read {what} {url}")
        return html_to_page(text, final, content=source.content)

    # downloads
    def _target(self, found: _Found) -> str:
        url = found.doc.url
        prev = self.manifest.get(url) or {}
        if prev.get("path"):
            return prev["path"]
        fy = found.doc.meeting.fiscal_year
        rel = f"{found.source.raw}/{fy if fy else 'undated'}/{url_to_filename(url)}"
        if self.claimed.get(rel, url) != url:
            rel = _with_hash(rel, url)
        return rel

    def plan(self, found: _Found) -> None:
        """Dry run: say what would be downloaded, without downloading it."""
        url, source = found.doc.url, found.source
        prev = self.manifest.get(url) or {}
        rel = self._target(found)
        self.claimed.setdefault(rel, url)
        known = prev.get("sha256") and (self.opts.raw_dir / rel).exists()
        status = "would-check" if known else "would-fetch"
        meeting = found.doc.meeting
        when = f" ({meeting.held_on})" if meeting.held_on else ""
        self.record(Outcome(url, source.name, status, f"{meeting.title}{when}: {found.doc.title}", rel))

    def fetch_one(self, found: _Found) -> None:
        url, source = found.doc.url, found.source
        prev = self.manifest.get(url) or {}
        rel = self._target(found)
        target = self.opts.raw_dir / rel
        conditional: dict[str, str] = {}
        if prev.get("sha256") and prev.get("path") == rel and target.is_file() \
                and (prev.get("size") is None or target.stat().st_size == prev["size"]):
            if prev.get("etag"):
                conditional["If-None-Match"] = prev["etag"]
            if prev.get("last_modified"):
                conditional["If-Modified-Since"] = prev["last_modified"]
        made_dir = not target.parent.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.parent / f".{target.name}.{os.getpid()}{_PART_SUFFIX}"
        try:
            try:
                result = self.http.download(url, source.hosts, self.rate(source), part, conditional)
            except Skipped as e:
                self.skip(url, source, str(e), found)
                return
            except FetchFailed as e:
                self.fail(url, source, str(e), found)
                return
            if result.status == 304:
                self.record(Outcome(url, source.name, "unchanged", "not modified (304)", rel, prev.get("size")),
                            self._row(found, url, source.name, "unchanged", final_url=result.final_url))
                return
            validators = dict(etag=result.etag, last_modified=result.last_modified, final_url=result.final_url)
            if prev.get("sha256") == result.sha256 and prev.get("path") == rel and target.is_file():
                self.record(Outcome(url, source.name, "unchanged", "same bytes as before", rel, result.size),
                            self._row(found, url, source.name, "unchanged", **validators))
                return
            twin = self.by_sha.get(result.sha256)
            if twin and twin != rel and (self.opts.raw_dir / twin).is_file():
                msg = f"byte-identical to {twin}; not saved twice"
                self.record(Outcome(url, source.name, "duplicate", msg, twin, result.size),
                            self._row(found, url, source.name, "duplicate", msg, sha256=result.sha256,
                                      path=twin, size=result.size, **validators))
                return
            if target.is_file() and prev.get("path") != rel:
                # a file fetch did not record (a lost manifest, or the user's own): never overwritten
                if file_to_sha256(target) == result.sha256:
                    self.claimed[rel] = url
                    self.by_sha[result.sha256] = rel
                    self.record(Outcome(url, source.name, "unchanged", "already in raw/", rel, result.size),
                                self._row(found, url, source.name, "unchanged", sha256=result.sha256, path=rel,
                                          size=result.size, fetched_at=_now(), **validators))
                    return
                rel = _with_hash(rel, url)
                target = self.opts.raw_dir / rel
            status = "updated" if prev.get("sha256") and prev.get("path") == rel and target.is_file() else "new"
            os.replace(part, target)  # atomic: ingest sees the old file or the whole new one
            self.claimed[rel] = url
            self.by_sha[result.sha256] = rel
            message = f"republished: replaces the file of {prev.get('fetched_at')}" if status == "updated" else ""
            self.record(Outcome(url, source.name, status, message, rel, result.size),
                        self._row(found, url, source.name, status, message, sha256=result.sha256, path=rel,
                                  size=result.size, fetched_at=_now(), **validators))
        finally:
            part.unlink(missing_ok=True)
            if made_dir:
                _prune_empty(target.parent, self.opts.raw_dir)


def fetch(sources: list[Source], settings: FetchSettings, opts: FetchOptions,
          progress: Callable[[str], None] = lambda s: None,
          notice: Callable[[str], None] = lambda s: None) -> FetchSummary:
    """Bring raw/ up to date with the sources' published PDFs.

    Args:
        sources: the listing pages to read.
        settings: politeness and limits.
        opts: where raw/ and the warehouse are; dry run; --since.
        progress: called with a line per page read and file done (the CLI shows it on a terminal).
        notice: called with messages worth seeing off a terminal (retries, lock waits).

    Returns:
        The run's summary; ``summary.failed`` counts URLs that could not be fetched.

    Raises:
        load.WarehouseLocked: another process holds the warehouse past the wait.
    """
    if opts.dry_run:
        manifest = _read_manifest_readonly(opts.db_path, opts.lock_timeout)
    else:
        manifest = _open_manifest(opts, notice)
    http = Http(settings, notice)
    run = _Run(opts, settings, http, manifest, progress)
    try:
        found: dict[str, _Found] = {}
        for source in sources:
            if not opts.dry_run:
                _sweep_parts(opts.raw_dir / source.raw)
            for f in run.crawl(source):
                found.setdefault(f.doc.url, f)  # the same PDF linked twice (or by two sources): once
        todo = list(found.values())
        for i, f in enumerate(todo, 1):
            if run._older(f.doc.meeting):
                run.skip(f.doc.url, f.source, f"meeting held {f.doc.meeting.held_on}, before --since", f,
                         status="older")
                continue
            try:
                if not run.http.allowed_by_robots(f.doc.url, run.rate(f.source)):
                    run.skip(f.doc.url, f.source, f"disallowed by robots.txt of {url_to_host(f.doc.url)}", f)
                    continue
            except FetchFailed as e:
                run.fail(f.doc.url, f.source, str(e), f)
                continue
            if opts.dry_run:
                run.plan(f)
            else:
                run.fetch_one(f)
            last = run.summary.outcomes[-1]
            progress(f"[{i}/{len(todo)}] {last.status}: {last.path or last.url}"
                     + (f" ({last.message})" if last.message and last.status != "new" else ""))
        run.summary.requests = http.requests
        run.summary.bytes_downloaded = http.bytes
        return run.summary
    finally:
        http.close()
        # also after an interruption: the rows describe files already in raw/. Were the
        # warehouse locked now, the next run finds those files in place and records them.
        try:
            _write_manifest(opts, list(run.rows.values()), notice)
        except load.WarehouseLocked as e:
            raise load.WarehouseLocked(f"{e} (The files downloaded are in place in raw/: the next fetch "
                                       "compares them with the site and records them; nothing is saved twice.)") from e


def since_to_date(text: str) -> date:
    """Read --since: ``2023-04-01`` or a Japanese date (``令和5年4月1日``).

    Raises:
        ValueError: neither form.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    day = text_to_date(text)
    if day is None:
        raise ValueError(f"--since {text!r} is not a date (2023-04-01 or 令和5年4月1日)")
    return day


__all__ = ["FetchOptions", "FetchSettings", "FetchSummary", "Outcome", "Source", "SourcesError", "fetch",
           "load_sources", "select_sources", "since_to_date", "toml_to_sources", "url_to_source"]
