"""Discover: find the files under raw/ to ingest, safely, and fingerprint them.

raw/ holds whatever an operator, a browser or unzip left there, so nothing found in
it may stop or hang a run. Only regular files are opened (never a FIFO, a device or
a socket), with O_NONBLOCK so that a file swapped for a FIFO after the check cannot
block either; a symbolic link that leads out of raw/ is not followed unless asked;
loops, dangling links, unreadable entries and files that vanish each become an
entry with a reason, and the walk goes on. A file is a PDF by its bytes (``%PDF-``
in its first kilobyte), not by its name.

File names are bytes on Linux: one that is not UTF-8 (a Windows-made ZIP unpacked
here leaves Shift_JIS) is shown decoded as cp932 when that reads cleanly, else with
its odd bytes escaped, and the raw bytes are kept in a note so nothing is lost.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SUFFIXES = (".pdf",)  # names that say "PDF": such a file that cannot be read fails, others are skipped
DEFAULT_MAGIC_WINDOW = 1024  # where %PDF- must start (readers accept junk before it)
PDF_MAGIC = b"%PDF-"
_CHUNK = 1 << 20

#: What an open() of a candidate must never do: block (FIFO), follow a swapped-in link, leak to a child.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class DiscoverSettings:
    """How raw/ is walked.

    Attributes:
        follow_links: also read files and folders that symbolic links lead to outside raw/.
        magic_window: bytes at the start of a file searched for ``%PDF-``.
        suffixes: names that claim to be PDFs (case-insensitive).
    """

    follow_links: bool = False
    magic_window: int = DEFAULT_MAGIC_WINDOW
    suffixes: tuple[str, ...] = DEFAULT_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute, as the OS names it (undecodable bytes as surrogates)
    rel_path: str  # as stored in the warehouse: relative to the raw dir, POSIX separators, always valid UTF-8
    size: int
    mtime_ns: int
    #: how a non-UTF-8 name was read, with its raw bytes (None for a UTF-8 name)
    name_note: str | None = None
    #: None for a PDF; else what the bytes are ("an HTML page") of a file named like a PDF
    not_pdf: str | None = None


@dataclass(frozen=True)
class Entry:
    """Something under raw/ that is not read: a special file, a link not followed, an unreadable entry…"""

    rel_path: str
    status: str  # skipped, or failed when it claims to be a PDF (or is a folder) and cannot be read
    message: str  # names the entry, control characters escaped
    name_note: str | None = None
    present: bool = True  # still in raw/ (its rows are kept by --prune)


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


class NotRegularFile(OSError):
    """A path that is a FIFO, device, socket or folder where a file was expected."""


# --- names ---------------------------------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    o = ord(ch)
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    if 0xDC80 <= o <= 0xDCFF:
        return f"\\x{o - 0xDC00:02x}"  # a byte os.fsdecode could not decode
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def printable(text: str) -> str:
    """``text`` with control characters, bidi overrides and lone surrogates escaped.

    A newline in a file name would forge an output line and an ESC would drive the
    terminal: every message that names a file goes through here.
    """
    return _UNSAFE.sub(_escape, text)


def _odd(ch: str) -> bool:
    # cp932 maps a few unused bytes to the private use area: not a reading, a guess
    return "\ue000" <= ch <= "\uf8ff"


def decode_name(raw: bytes) -> tuple[str, str | None]:
    """A relative path's bytes as text for the warehouse, and a note when they were not UTF-8.

    Each component is read as UTF-8, else as cp932 when that round-trips to the same
    bytes, else as UTF-8 with the odd bytes written ``\\xNN``. The note keeps the raw
    bytes, so the name is never lost.
    """
    texts, how = [], set()
    for part in raw.split(b"/"):
        try:
            texts.append(part.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            text = part.decode("cp932")
            if text.encode("cp932") == part and not any(_odd(ch) for ch in text):
                texts.append(text)
                how.add("cp932")
                continue
        except UnicodeError:
            pass
        texts.append(part.decode("utf-8", "backslashreplace"))
        how.add("bytes")
    text = "/".join(texts)
    if not how:
        return text, None
    if "bytes" in how:
        return text, f"the file name is neither UTF-8 nor Shift_JIS: odd bytes shown as \\xNN; its bytes are {raw!r}"
    return text, f"the file name is Shift_JIS (cp932), not UTF-8: shown decoded; its bytes are {raw!r}"


# --- what a file is ------------------------------------------------------------------------------

_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive"), (b"PK\x05\x06", "a ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office document"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"%!PS", "a PostScript file"), (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"), (b"MZ", "a Windows program"),
)


def _as_text(head: bytes) -> str | None:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(enc, "ignore")
    if b"\x00" in head:
        return None
    for enc in ("utf-8", "cp932"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError as e:
            if e.start < len(head) - 3:  # only a character cut at the end of the window is forgiven
                continue
            text = head[:e.start].decode(enc)
        if sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text) >= 0.95 * max(1, len(text)):
            return text
    return None


def describe(head: bytes) -> str:
    """What the first bytes of a file say it is ("an HTML page"), never the bytes themselves.

    Messages land in ingest_log, warnings and exports: quoting a file's start there
    would copy its contents (a linked /etc/passwd) into the warehouse.
    """
    if not head:
        return "an empty file"
    if head[8:12] == b"DUCK":
        return "a DuckDB database"
    if PDF_MAGIC in head:
        return "a PDF document"
    for sig, what in _SIGNATURES:
        if head.startswith(sig):
            return what
    text = _as_text(head)
    if text is None:
        return "binary data"
    low = text.lstrip().lower()
    if low.startswith(("<!doctype html", "<html")) or "<html" in low or "<body" in low:
        return "an HTML page"
    if low.startswith("<svg") or ("<svg" in low and low.startswith("<?xml")):
        return "an SVG image"
    if low.startswith("<?xml"):
        return "an XML document"
    return "a text file"


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def kind_of(mode: int) -> str:
    """A non-regular file's kind, for messages."""
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def open_regular(path, *, follow: bool = True) -> int:
    """A read-only descriptor of a regular file; never blocks on a FIFO or opens a device.

    Raises:
        NotRegularFile: the path is (now) something else than a regular file.
        OSError: it cannot be opened (gone, permission denied, a link when ``follow`` is False).
    """
    fd = os.open(path, _OPEN_FLAGS | (0 if follow else os.O_NOFOLLOW))
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind_of(mode)})", str(path))
    return fd


def file_to_sha256(path: Path) -> str:
    """sha256 of a regular file's bytes (a FIFO or device raises NotRegularFile, never blocks)."""
    h = hashlib.sha256()
    with open(open_regular(path), "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def sha256_to_doc_id(sha256: str) -> str:
    """Stable for the same bytes, whatever the file is called."""
    return sha256[:16]


def os_reason(e: OSError) -> str:
    """An OSError as a short lower-case reason ("permission denied")."""
    return (e.strerror or type(e).__name__).lower()


# --- the walk ------------------------------------------------------------------------------

class _Walk:
    def __init__(self, root: str, settings: DiscoverSettings):
        self.root, self.settings = root, settings
        self.out = Discovery()
        self.names: set[str] = set()

    def name(self, rel: bytes) -> tuple[str, str | None]:
        text, note = decode_name(rel)
        if text in self.names:  # a cp932 name that reads like a UTF-8 one beside it: keep both apart
            text = rel.decode("utf-8", "backslashreplace")
            note = note or f"its bytes are {rel!r}"
            n = 2
            while text in self.names:
                text, n = f"{rel.decode('utf-8', 'backslashreplace')} [{n}]", n + 1
        self.names.add(text)
        return text, note

    def claims_pdf(self, text: str) -> bool:
        return text.lower().endswith(self.settings.suffixes)

    def entry(self, rel: bytes, status: str, reason: str, *, present: bool = True) -> None:
        text, note = self.name(rel)
        self.out.entries.append(Entry(text, status, f"{printable(text)}: {reason}", note, present))

    def unreadable(self, rel: bytes, what: str, e: OSError) -> None:
        if e.errno == errno.ENOENT:
            self.entry(rel, "skipped", "disappeared before it could be read", present=False)
            return
        text = decode_name(rel)[0]
        self.entry(rel, "failed" if self.claims_pdf(text) else "skipped", f"cannot read the {what} ({os_reason(e)})")

    def inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def walk(self, folder: str, rel: bytes, ancestors: frozenset) -> None:
        try:
            with os.scandir(folder) as it:
                # in the order the names read (a cp932 name by its reading, not its surrogates)
                children = sorted(it, key=lambda e: decode_name(os.fsencode(e.name))[0])
        except OSError as e:
            if not rel:
                raise  # raw/ itself: the caller says so
            if e.errno == errno.ENOENT:
                self.entry(rel, "skipped", "disappeared before it could be read", present=False)
            else:
                self.entry(rel, "failed", f"cannot read the folder ({os_reason(e)}); nothing under it was read")
            return
        folders = []
        for child in children:
            if child.name.startswith("."):
                continue  # editors' and downloaders' temporary files
            child_rel = (rel + b"/" if rel else b"") + os.fsencode(child.name)
            found = self.look(child.path, child_rel, ancestors)
            if found is not None:
                folders.append(found)
        for path, child_rel, st in folders:
            self.walk(path, child_rel, ancestors | {(st.st_dev, st.st_ino)})

    def look(self, path: str, rel: bytes, ancestors: frozenset):
        """Record one entry; return (path, rel, stat) when it is a folder to walk."""
        try:
            st = os.lstat(path)
        except OSError as e:
            self.unreadable(rel, "entry", e)
            return None
        if stat.S_ISLNK(st.st_mode):
            return self.link(path, rel, ancestors)
        if stat.S_ISDIR(st.st_mode):
            return path, rel, st
        if stat.S_ISREG(st.st_mode):
            self.regular(path, rel, follow=False)
        else:
            self.entry(rel, "skipped", f"not a regular file ({kind_of(st.st_mode)}); not read")
        return None

    def link(self, path: str, rel: bytes, ancestors: frozenset):
        text = decode_name(rel)[0]
        status = "failed" if self.claims_pdf(text) else "skipped"
        try:
            st = os.stat(path)
        except OSError as e:
            if e.errno == errno.ELOOP:
                self.entry(rel, status, "a symbolic link loop; not read")
            elif e.errno in (errno.ENOENT, errno.ENOTDIR):
                try:
                    target = printable(os.readlink(path))
                except OSError:
                    target = "?"
                self.entry(rel, status, f"a link to a missing file ({target}); not read")
            else:
                self.entry(rel, status, f"cannot read where the link leads ({os_reason(e)})")
            return None
        real = os.path.realpath(path)
        if not self.inside(real) and not self.settings.follow_links:
            self.entry(rel, "skipped", f"a link to {printable(real)}, outside the raw folder; "
                                       "not followed (--follow-links reads it)")
            return None
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) in ancestors:
                self.entry(rel, "skipped", "a link to a folder above it (a loop); not followed")
                return None
            return path, rel, st
        if stat.S_ISREG(st.st_mode):
            self.regular(path, rel, follow=True)
        else:
            self.entry(rel, "skipped", f"not a regular file ({kind_of(st.st_mode)}); not read")
        return None

    def regular(self, path: str, rel: bytes, *, follow: bool) -> None:
        try:
            fd = open_regular(path, follow=follow)
        except NotRegularFile as e:  # swapped for a FIFO or device since the lstat
            self.entry(rel, "skipped", f"{e.strerror}; not read")
            return
        except OSError as e:
            self.unreadable(rel, "file", e)
            return
        try:
            st = os.fstat(fd)
            head = os.read(fd, self.settings.magic_window)
        except OSError as e:
            self.unreadable(rel, "file", e)
            return
        finally:
            os.close(fd)
        text, note = decode_name(rel)
        if PDF_MAGIC in head:
            text, note = self.name(rel)
            self.out.files.append(SourceFile(Path(path), text, st.st_size, st.st_mtime_ns, note))
        elif self.claims_pdf(text):
            # named like a PDF: the run reports it as failed (and fingerprints it, for its warning)
            text, note = self.name(rel)
            self.out.files.append(SourceFile(Path(path), text, st.st_size, st.st_mtime_ns, note, describe(head)))
        else:
            self.entry(rel, "skipped", f"not a PDF ({describe(head)})")


def discover(raw_dir: Path, settings: DiscoverSettings | None = None) -> Discovery:
    """Walk ``raw_dir`` and sort what is there into PDFs to ingest and entries that are not read.

    Files of a folder come before its sub-folders, each in name order; hidden entries
    (a leading dot) are left alone. Links inside raw/ are followed (a link back to a
    folder above is a loop); links leading out of raw/ only with ``follow_links``.

    Raises:
        OSError: raw_dir itself cannot be read.
    """
    settings = settings or DiscoverSettings()
    root = os.path.realpath(raw_dir)
    walk = _Walk(root, settings)
    st = os.stat(root)
    walk.walk(root, b"", frozenset({(st.st_dev, st.st_ino)}))
    return walk.out


def raw_dir_to_files(raw_dir: Path, suffixes: tuple[str, ...] = DEFAULT_SUFFIXES) -> list[SourceFile]:
    """The PDFs (by their bytes) under ``raw_dir``; see discover() for what else is found."""
    return [f for f in discover(raw_dir, DiscoverSettings(suffixes=suffixes)).files if f.not_pdf is None]
