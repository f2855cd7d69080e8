"""Listing and detail pages → the PDFs of each meeting (pure functions, no I/O).

Municipal sites publish a series as a listing page (one link or heading per
meeting, sometimes over several pages) and, one level below, a detail page per
meeting holding the PDF links. Everything here takes bytes or text and returns
data; ``pipeline.fetch`` does the network and the files.

Only the page's content area is read: site-wide header, navigation, breadcrumbs,
side menus and footer carry links (other series, the site policy PDF) that are
not the meeting's.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import lxml.html
import regex as re
from lxml import etree

from pipeline.normalize import fiscal_year_of, normalize_text, parse_date

#: Link texts (or their headings) that name a meeting: 第1回, 第四回.
DEFAULT_MEETING_PATTERN = r"第\s*[0-9一二三四五六七八九十]+\s*回"
#: Elements searched, in this order, for the page's content area.
DEFAULT_CONTENT_IDS = ("tmp_contents", "main_contents", "mainContents", "contents", "content", "main",
                       "tmp_main", "main_body", "primary")
#: id/class words of blocks inside the content area that are still site furniture.
DEFAULT_FURNITURE_WORDS = frozenset({
    "nav", "gnav", "gnavi", "lnavi", "snavi", "localnav", "globalnav", "menu", "breadcrumb", "breadcrumbs",
    "pankuzu", "topicpath", "header", "footer", "side", "sidebar", "sidenav", "sitemap", "skip",
})
#: Substrings of id/class of a pagination block.
DEFAULT_PAGER_WORDS = ("pager", "paginat", "pagenat", "paging", "pagenavi", "page_nav", "page-nav")
#: Link texts of a "next page" link once arrows and spaces are removed.
DEFAULT_NEXT_TEXTS = frozenset({"次へ", "次のページ", "次ページ", "次", "next", "次の一覧", ""})
#: Suffixes of links that are files, not pages (and not PDFs): never followed.
DEFAULT_FILE_SUFFIXES = (".xlsx", ".xls", ".docx", ".doc", ".pptx", ".ppt", ".zip", ".csv", ".txt",
                         ".jpg", ".jpeg", ".png", ".gif", ".mp4", ".mp3", ".odt", ".ods", ".jtd")
#: Encodings whose label is often a server default rather than the page's own.
_WEAK_HEADER_CHARSETS = frozenset({"iso-8859-1", "latin-1", "us-ascii", "ascii", "windows-1252"})
# Labels Japanese sites use → the Python codec that decodes what they really serve
# (Windows' superset: ①, ㈱ and NEC special characters are common on such pages).
_CODEC_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                  "windows-31j": "cp932", "ms932": "cp932", "cp932": "cp932", "ms_kanji": "cp932",
                  "euc-jp": "euc_jp", "euc_jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ROW_TAGS = ("li", "tr", "dd", "dt", "p")
# a PDF note at the end of a link text: （PDF：1,234KB）, (PDF形式 1.2MB), [PDFファイル／300KB]
_PDF_NOTE_RE = re.compile(r"\s*[（(\[［【]\s*(?:PDF|pdf)[^）)\]］】]*[）)\]］】]\s*$")
_SIZE_RE = re.compile(r"([\d,]+(?:\.\d+)?)\s*(KB|MB|GB|キロバイト|メガバイト|バイト|B)", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "バイト": 1, "kb": 1024, "キロバイト": 1024, "mb": 1024 ** 2, "メガバイト": 1024 ** 2,
               "gb": 1024 ** 3}
_DATE_START_RE = re.compile(r"(?<![\d.])(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR]\.?\s*\d|\d{4}\s*[年./-])")
_MONTH_DAY_RE = re.compile(r"(?<![\d./])\d{1,2}\s*月\s*\d{1,2}\s*日")
_ARROWS_RE = re.compile(r"[\s>＞»›→≫]+")
_WHEN_RE = re.compile(r"開催日|日時|日程|開催期日")


@dataclass(frozen=True)
class Link:
    """One ``<a href>`` of the content area.

    Attributes:
        url: absolute URL, fragment dropped, path percent-encoded.
        text: the link text, normalized (full-width ASCII folded, spaces collapsed).
        headings: the headings above the link, outermost first.
        row: the text of its list item, table row or paragraph (where a listing
            prints a meeting's number and date beside its links).
        rel: the ``rel`` attribute (``next`` marks pagination).
        pager: the link sits in a pagination block.
        pdf_type: the link declares ``type="application/pdf"``.
    """

    url: str
    text: str
    headings: tuple[str, ...] = ()
    row: str = ""
    rel: str = ""
    pager: bool = False
    pdf_type: bool = False

    @property
    def context(self) -> str:
        """Headings and row text in one string."""
        return " ".join((*self.headings, self.row)).strip()


@dataclass(frozen=True)
class Page:
    """What a listing or detail page says, content area only."""

    url: str
    title: str  # <title>
    heading: str  # the first <h1> of the content area (else the first heading, else <title>)
    date_text: str  # lines of the content naming when the meeting was held (開催日, 日時)
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Meeting:
    """A meeting as a listing or detail page names it."""

    title: str
    held_on: date | None = None
    fiscal_year: int | None = None
    url: str | None = None  # its detail page; None when the PDFs are on the listing itself


@dataclass(frozen=True)
class Document:
    """A PDF link of a meeting."""

    url: str
    title: str  # link text without its PDF note
    meeting: Meeting
    page_url: str  # the page the link is on
    size_hint: int | None = None  # bytes, from the link's note (PDF：1,234KB)


@dataclass(frozen=True)
class Listing:
    """What to do with one listing page."""

    meetings: tuple[Meeting, ...]  # detail pages to visit (one level down)
    documents: tuple[Document, ...]  # PDFs listed on the listing page itself
    next_pages: tuple[str, ...]  # further pages of the same listing
    skipped: tuple[tuple[str, str], ...]  # (url, reason) of meeting links not followed on purpose


# --- encodings ---------------------------------------------------------------------------------

def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _CODEC_ALIASES:
        return _CODEC_ALIASES[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def content_type_to_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, as given."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def bytes_to_meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its own ``<meta>`` (or XML declaration), if any.

    Only the first 4 KB are read (where browsers look), decoded as Latin-1: every
    encoding of these sites keeps ASCII bytes as ASCII, so the tags survive intact.
    """
    head = body[:4096].decode("latin-1")
    xml_decl = re.match(r"\s*<\?xml[^>]*encoding=[\"']([\w.:-]+)[\"']", head)
    if xml_decl:
        return xml_decl.group(1)
    try:
        doc = lxml.html.document_fromstring(head.encode("utf-8"),
                                            parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None
    for meta in doc.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset")
        if (meta.get("http-equiv") or "").lower() == "content-type":
            found = content_type_to_charset(meta.get("content"))
            if found:
                return found
    return None


def bytes_to_text(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page as a browser of a Japanese site would.

    Order: the HTTP header's charset, then the page's meta tag, then detection
    (charset-normalizer), then UTF-8 with replacement characters. A declared
    encoding that cannot decode the bytes is passed over, and a header naming
    Latin-1 or ASCII (a web server's default) yields to the page's own meta tag.

    Returns:
        (text, codec name used).
    """
    declared_header = _codec(content_type_to_charset(content_type))
    declared_meta = _codec(bytes_to_meta_charset(body))
    order = [declared_header, declared_meta]
    if declared_header and (content_type_to_charset(content_type) or "").lower() in _WEAK_HEADER_CHARSETS \
            and declared_meta:
        order = [declared_meta, declared_header]
    if body.startswith(codecs.BOM_UTF8):
        order.insert(0, "utf-8-sig")
    for codec in order:
        if codec:
            try:
                return body.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes  # here: only pages with no usable declaration need it

    best = from_bytes(body).best()
    if best is not None and best.encoding:
        codec = _codec(best.encoding) or best.encoding
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors="replace"), "utf-8"


# --- URLs ----------------------------------------------------------------------------------------

def url_to_canonical(url: str) -> str:
    """One spelling per address: fragment dropped, scheme and host lower-cased,
    default port removed, non-ASCII path and query characters percent-encoded."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="=&%:@!$'()*+,;/?-._~")
    return urlunsplit((scheme, netloc, path, query, ""))


def url_to_host(url: str) -> str:
    """Lower-case host name of a URL (without port)."""
    return (urlsplit(url).hostname or "").lower()


def url_is_pdf(url: str) -> bool:
    return unquote(urlsplit(url).path).lower().endswith(".pdf")


def url_to_filename(url: str) -> str:
    """A safe file name for a PDF URL: its last path segment, decoded, ``.pdf`` ensured.

    Separators, control characters and a leading dot (hidden files are skipped by
    ingest) are replaced; Japanese names are kept as published.
    """
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or "document"
    name = "".join("_" if (c in '/\\:*?"<>|' or ord(c) < 32) else c for c in name).strip(" .") or "document"
    if parts.query and not name.lower().endswith(".pdf"):
        # download.php?id=123: the query is what tells the files apart
        name += "_" + "".join(c if c.isalnum() else "_" for c in unquote(parts.query))[:60]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-150:]


# --- link texts and dates ------------------------------------------------------------------------

def link_text_to_title(text: str) -> tuple[str, int | None]:
    """Split a PDF link text into its title and the size its note announces.

    ``資料1 令和5年度…について（PDF：1,234KB）`` → (``資料1 令和5年度…について``, 1263616).
    """
    text = normalize_text(text)
    m = _PDF_NOTE_RE.search(text)
    if not m:
        return text, None
    size = None
    s = _SIZE_RE.search(m.group())
    if s:
        size = int(float(s.group(1).replace(",", "")) * _SIZE_UNITS[s.group(2).lower()])
    return text[:m.start()].strip() or text, size


def text_to_date(text: str, fiscal_year: int | None = None) -> date | None:
    """The first day-precise date printed in ``text`` (era dates included).

    ``令和5年度第1回…会議（令和5年5月22日）`` → 2023-05-22: the fiscal year printed
    first is passed over. A month and day without a year (``5月22日``) are placed
    in ``fiscal_year`` when it is known; ``1/2`` alone is never taken for a date
    (it is more often a part number).
    """
    text = normalize_text(text)
    for m in _DATE_START_RE.finditer(text):
        span = parse_date(text[m.start():])
        if span is not None and span.precision == "day":
            return span.start
    if fiscal_year is not None:
        for m in _MONTH_DAY_RE.finditer(text):
            span = parse_date(text[m.start():], fiscal_year=fiscal_year)
            if span is not None and span.precision == "day":
                return span.start
    return None


def text_to_fiscal_year(text: str) -> int | None:
    """The fiscal year a text names (``令和5年度`` → 2023), else that of its first date."""
    text = normalize_text(text)
    for m in _DATE_START_RE.finditer(text):
        span = parse_date(text[m.start():])
        if span is not None and span.precision == "fiscal_year":
            return span.start.year
    day = text_to_date(text)
    return fiscal_year_of(day) if day else None


# --- HTML --------------------------------------------------------------------------------------

def _tokens(el) -> list[str]:
    raw = f"{el.get('id') or ''} {el.get('class') or ''}".lower()
    return [t for t in re.split(r"[\s_\-]+", raw) if t]


def _is_furniture(el, *, whole_body: bool) -> bool:
    """Site furniture: navigation, breadcrumbs, side menus; and header and footer when the
    content area could not be told (inside a found content area, an <article>'s own
    <header> holds the meeting's heading and date)."""
    if el.tag in ("nav", "aside"):
        return True
    if whole_body and el.tag in ("header", "footer"):
        # the page's own header and footer, not those of an <article> or <section>
        return not any(a.tag in ("article", "section", "main") for a in el.iterancestors())
    words = DEFAULT_FURNITURE_WORDS if whole_body else DEFAULT_FURNITURE_WORDS - {"header", "footer"}
    return any(t in words for t in _tokens(el))


def _find_by_hint(doc, hint: str):
    """Find an element by ``#id``, ``.class`` or a tag name."""
    hint = hint.strip()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if hint.startswith("#") and el.get("id") == hint[1:]:
            return el
        if hint.startswith(".") and hint[1:] in (el.get("class") or "").split():
            return el
        if el.tag == hint:
            return el
    return None


def _content_root(doc, hint: str | None):
    if hint:
        found = _find_by_hint(doc, hint)
        if found is not None:
            return found
    for el in doc.iter("main"):
        return el
    for el in doc.iter():
        if isinstance(el.tag, str) and (el.get("role") or "").lower() == "main":
            return el
    ids = {}
    for el in doc.iter():
        if isinstance(el.tag, str) and el.get("id"):
            ids.setdefault(el.get("id"), el)
    for name in DEFAULT_CONTENT_IDS:
        if name in ids:
            return ids[name]
    body = doc.find(".//body")
    return body if body is not None else doc


def _text(el) -> str:
    return normalize_text(el.text_content() or "")


def _spaced_text(el) -> str:
    """Text of a block with its cells and items kept apart (``<td>第4回</td><td>令和5年…``)."""
    return normalize_text(" ".join(el.itertext()))


def _in_pager(el, root) -> bool:
    node = el
    while node is not None and node is not root:
        raw = f"{node.get('id') or ''} {node.get('class') or ''}".lower()
        if any(w in raw for w in DEFAULT_PAGER_WORDS):
            return True
        node = node.getparent()
    return False


def _row_text(a, root) -> str:
    """Text of the list item / table row / paragraph holding a link, other links' texts included."""
    node = a.getparent()
    while node is not None and node is not root:
        if node.tag in _ROW_TAGS:
            text = _spaced_text(node)
            if node.tag == "dd":
                prev = node.getprevious()
                while prev is not None and prev.tag != "dt":
                    prev = prev.getprevious()
                if prev is not None:
                    text = f"{_spaced_text(prev)} {text}"
            return text[:300]
        node = node.getparent()
    return ""


def html_to_page(html: str, url: str, *, content: str | None = None) -> Page:
    """Read a page's content area: its heading, meeting-date lines and links in order.

    Args:
        html: the decoded page (see bytes_to_text).
        url: where it was fetched from (after redirects): relative links resolve against it,
            or against the page's ``<base href>``.
        content: ``#id``, ``.class`` or tag of the content area when the defaults
            (``<main>``, role=main, ids such as ``tmp_contents``, ``contents``, ``main``) do not fit.
    """
    # Parsed from UTF-8 bytes with the encoding stated, so that a leftover
    # <?xml encoding="Shift_JIS"?> or <meta charset> cannot make lxml re-decode it.
    doc = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"),
                                        parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    base = url
    for b in doc.iter("base"):
        if b.get("href"):
            base = urljoin(url, b.get("href").strip())
            break
    title_el = doc.find(".//title")
    title = _text(title_el) if title_el is not None else ""
    root = _content_root(doc, content)
    whole_body = root.tag in ("body", "html")
    for el in list(root.iter()):
        if el is not root and isinstance(el.tag, str) and (_is_furniture(el, whole_body=whole_body)
                                                           or el.tag in ("script", "style")):
            if el.getparent() is not None:
                el.drop_tree()

    first_h1 = first_heading = ""
    stack: dict[int, str] = {}
    links: list[Link] = []
    date_lines: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _HEADINGS:
            level = int(el.tag[1])
            text = _text(el)
            if text:
                stack = {k: v for k, v in stack.items() if k < level}
                stack[level] = text
                first_heading = first_heading or text
                if el.tag == "h1":
                    first_h1 = first_h1 or text
        elif el.tag in ("p", "li", "dd", "dt", "td", "th", "div"):
            text = _spaced_text(el)
            if text and len(text) < 200 and _WHEN_RE.search(text):
                if el.tag in ("dt", "th") and el.getnext() is not None:
                    text = f"{text} {_spaced_text(el.getnext())}"
                date_lines.append(text)
        if el.tag == "a" and el.get("href"):
            href = el.get("href").strip()
            if href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            absolute = urljoin(base, href)
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue
            links.append(Link(
                url=url_to_canonical(absolute),
                text=_text(el) or normalize_text(el.get("title") or ""),
                headings=tuple(stack[k] for k in sorted(stack)),
                row=_row_text(el, root),
                rel=(el.get("rel") or "").lower(),
                pager=_in_pager(el, root),
                pdf_type=(el.get("type") or "").lower() == "application/pdf",
            ))
    return Page(url=url, title=title, heading=first_h1 or first_heading or title,
                date_text="\n".join(date_lines), links=tuple(links))


def _is_pdf_link(link: Link) -> bool:
    return url_is_pdf(link.url) or link.pdf_type or bool(_PDF_NOTE_RE.search(link.text))


def _is_file_link(link: Link) -> bool:
    return unquote(urlsplit(link.url).path).lower().endswith(DEFAULT_FILE_SUFFIXES)


def _is_next_link(link: Link) -> bool:
    if "next" in link.rel.split():
        return True
    bare = _ARROWS_RE.sub("", link.text).lower()
    if link.pager and (bare in DEFAULT_NEXT_TEXTS or bare.isdigit()):
        return True
    return bare in DEFAULT_NEXT_TEXTS and bare != "" and len(link.text) <= 8


def _meeting_of(text: str, context: str, url: str | None) -> Meeting:
    fy = text_to_fiscal_year(text) or text_to_fiscal_year(context)
    held = text_to_date(text, fy) or text_to_date(context, fy)
    if held is not None:
        fy = fiscal_year_of(held)
    return Meeting(title=text, held_on=held, fiscal_year=fy, url=url)


def _listed_meeting(link: Link, is_meeting) -> Meeting:
    """The meeting a PDF listed on the listing page belongs to: its row (without the
    link's own text) or the nearest heading that names a meeting."""
    row = normalize_text(link.row.replace(link.text, " "))
    candidates = [row, *reversed(link.headings)]
    title = next((c for c in candidates if c and is_meeting(c)), None) or next((c for c in candidates if c), "")
    return _meeting_of(title, link.context, None)


def page_to_listing(page: Page, *, hosts: frozenset[str] | set[str],
                    pattern: str = DEFAULT_MEETING_PATTERN) -> Listing:
    """Sort a listing page's links: meetings' detail pages, PDFs, further listing pages.

    A link is a meeting when its text matches ``pattern`` or carries a date; a PDF
    on the listing itself is taken when its text or context (heading, list item,
    table row) does. Links to hosts not in ``hosts`` are reported, never followed.
    """
    rx = re.compile(pattern)
    meetings: dict[str, Meeting] = {}
    documents: dict[str, Document] = {}
    next_pages: list[str] = []
    skipped: list[tuple[str, str]] = []
    here = url_to_canonical(page.url)

    def is_meeting(text: str) -> bool:
        return bool(rx.search(text)) or text_to_date(text) is not None

    for link in page.links:
        other_host = url_to_host(link.url) not in hosts
        if _is_pdf_link(link):
            if not (is_meeting(link.text) or is_meeting(link.context)):
                continue
            if other_host:
                skipped.append((link.url, f"on another host ({url_to_host(link.url)}), not in the source's hosts"))
                continue
            if link.url not in documents:
                title, size = link_text_to_title(link.text)
                documents[link.url] = Document(link.url, title, _listed_meeting(link, is_meeting), page.url, size)
            continue
        if _is_file_link(link) or link.url == here:
            continue
        if _is_next_link(link):
            if not other_host and link.url not in next_pages:
                next_pages.append(link.url)
            continue
        if not is_meeting(link.text):
            continue
        if other_host:
            skipped.append((link.url, f"on another host ({url_to_host(link.url)}), not in the source's hosts"))
            continue
        if link.url not in meetings:
            meetings[link.url] = _meeting_of(link.text, link.context, link.url)
    return Listing(tuple(meetings.values()), tuple(documents.values()), tuple(next_pages), tuple(skipped))


def page_to_documents(page: Page, meeting: Meeting, *,
                      hosts: frozenset[str] | set[str]) -> tuple[list[Document], list[tuple[str, str]]]:
    """Every PDF link of a meeting's detail page (one level down: no page link is followed).

    The meeting's title and date are taken from the page's heading when it names
    them, else from the listing's link, else from a 開催日/日時 line of the page.

    Returns:
        (documents, skipped) with skipped as (url, reason).
    """
    heading = page.heading or meeting.title
    fy = text_to_fiscal_year(heading) or meeting.fiscal_year
    held = text_to_date(heading, fy) or meeting.held_on or text_to_date(page.date_text, fy)
    if held is not None:
        fy = fiscal_year_of(held)
    refined = Meeting(title=heading, held_on=held, fiscal_year=fy or text_to_fiscal_year(page.date_text),
                      url=meeting.url)
    docs: dict[str, Document] = {}
    skipped: list[tuple[str, str]] = []
    for link in page.links:
        if not _is_pdf_link(link):
            continue
        if url_to_host(link.url) not in hosts:
            skipped.append((link.url, f"on another host ({url_to_host(link.url)}), not in the source's hosts"))
            continue
        if link.url not in docs:
            title, size = link_text_to_title(link.text)
            docs[link.url] = Document(link.url, title, refined, page.url, size)
    return list(docs.values()), skipped
