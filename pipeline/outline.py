"""Outline: which pages and lines of a document belong to which section, found once.

A packet is a sequence of sections — the cover (次第), attendee lists, materials
(資料N), an item's pages, the annual schedule — and a meeting record a header and
its lists. The outline finds them from the profile's ``[outline]`` vocabulary, so
that parsers read their sections instead of searching pages themselves, and every
row can say which section it came from (the ``section`` column).

Sections may nest (an item's pages inside 資料2); ``Outline.at`` gives the
innermost section at a point of a page.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import regex as re

from pipeline.ir import Document, Line, Page
from pipeline.layout import is_running_header, join_pair
from pipeline.normalize import normalize_text
from pipeline.profile import Profile

#: Section kinds, from the widest to the narrowest (ties in ``at`` go to the later kind).
KINDS = ("material", "reference", "other", "cover", "attendees", "schedule", "item")
#: A slide's item title this similar to the current item's title names the same item.
DEFAULT_TITLE_SIMILARITY = 0.6
#: A heading is a short line: at most this many characters without spaces.
DEFAULT_HEADING_CHARS = 40
#: On a scanned page a heading word of at least this many characters is also found with one
#: kanji misread (配庶図); a shorter one (次第) would be found in too many words.
DEFAULT_FUZZY_HEADING_CHARS = 3

Point = tuple[int, float]  # (page number, top in PDF points)


@dataclass(frozen=True)
class Section:
    """One section of a document.

    Attributes:
        kind: one of KINDS.
        label: what names it as printed: 資料3, 出席委員, 次第 …
        start: (page, top) of its heading or first line.
        end: (page, top) where the next section of its level starts (exclusive);
            None runs to the end of the document.
        item_key: for ``item`` sections, the item title as the items parser keys it.
    """

    kind: str
    label: str | None
    start: Point
    end: Point | None = None
    item_key: str | None = None

    def contains(self, page: int, top: float = 0.0) -> bool:
        if (page, top) < self.start:
            return False
        return self.end is None or (page, top) < self.end

    def pages(self, last_page: int) -> list[int]:
        """Page numbers the section touches, up to the document's last page."""
        last = last_page if self.end is None else (self.end[0] if self.end[1] > 0 else self.end[0] - 1)
        return list(range(self.start[0], max(self.start[0], last) + 1))

    @property
    def name(self) -> str:
        """How rows cite it: ``kind`` or ``kind:label``."""
        return f"{self.kind}:{self.label}" if self.label else self.kind


@dataclass(frozen=True)
class Outline:
    sections: tuple[Section, ...]
    page_count: int = 0

    def of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def first(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def pages_of(self, kind: str) -> list[int]:
        """Every page any section of ``kind`` touches, in order."""
        return sorted({p for s in self.of(kind) for p in s.pages(self.page_count)})

    def at(self, page: int, top: float = 0.0, kind: str | None = None) -> Section | None:
        """The innermost section (of ``kind``, if given) holding that point."""
        found = [s for s in self.sections if (kind is None or s.kind == kind) and s.contains(page, top)]
        if not found:
            return None
        return max(found, key=lambda s: (KINDS.index(s.kind), s.start))

    def name_at(self, page: int | None, top: float = 0.0) -> str | None:
        """The ``section`` value of a row at that point."""
        if page is None:
            return None
        s = self.at(page, top)
        return s.name if s else None

    def item_at(self, page: int, top: float = 0.0) -> str | None:
        s = self.at(page, top, "item")
        return s.item_key if s else None

    def lines_of(self, doc: Document, kind: str) -> list[tuple[Page, Line]]:
        """The lines inside the sections of ``kind``, in reading order."""
        return [pl for s in self.of(kind) for pl in section_to_lines(doc, s)]


def section_to_lines(doc: Document, section: Section) -> list[tuple[Page, Line]]:
    """The lines inside one section, in reading order."""
    out = []
    for page in doc.pages:
        if page.number < section.start[0] or (section.end and page.number > section.end[0]):
            continue
        out.extend((page, ln) for ln in page.lines if section.contains(page.number, ln.top))
    return out


# --- finding sections --------------------------------------------------------------------------

def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def _regex(profile: Profile, key: str) -> re.Pattern | None:
    text = profile.get("outline", key)
    return re.compile(text) if text else None


def page_to_material_label(page: Page, profile: Profile) -> str | None:
    """The 資料N label printed at the top of a page (before its body), if any."""
    pat = _regex(profile, "material_label")
    if pat is None:
        return None
    for ln in page.lines[: int(profile.get("outline", "label_lines", 3))]:
        m = pat.match(_compact(ln.text))
        if m:
            return m.group("label")
    return None


def _heading_lines(page: Page, words: tuple[str, ...]) -> list[Line]:
    """Short lines of ``page`` that hold one of ``words`` (spaces ignored); on a scanned page
    also a word of three or more characters with one kanji misread (配庶図 for 配席図)."""
    if not words:
        return []
    fuzzy = [w for w in words if len(w) >= DEFAULT_FUZZY_HEADING_CHARS] if page.source == "ocr" else []
    return [ln for ln in page.lines
            if len(c := _compact(ln.text)) <= DEFAULT_HEADING_CHARS
            and (any(w in c for w in words) or any(_holds_misread(c, w) for w in fuzzy))]


def _holds_misread(text: str, word: str) -> bool:
    """True when ``text`` holds ``word`` with one kanji read as another, and what it holds
    is no word of its own (出席率 is a word, not a misread 出席者)."""
    from pipeline.ocr_lexicon import one_kanji_apart, text_is_word

    return any(one_kanji_apart(word, piece) and not text_is_word(piece)
               for i in range(len(text) - len(word) + 1) if (piece := text[i:i + len(word)]))


def title_to_item_key(title: str, profile: Profile) -> str:
    """An item title as the items parser keys it: normalized, status note dropped."""
    title = normalize_text(title).replace("\n", " ")
    tail = _regex(profile, "item_status_tail")
    if tail is not None:
        title = tail.sub("", title)
    return re.sub(r"\s+", " ", title).strip()


def _similar(a: str, b: str) -> bool:
    a2, b2 = re.sub(r"[\s・]", "", a), re.sub(r"[\s・]", "", b)
    return SequenceMatcher(None, a2, b2, autojunk=False).ratio() >= DEFAULT_TITLE_SIMILARITY


def _opens_bracket(text: str) -> bool:
    """Does the line leave a bracket open (its text goes on on the next line)?"""
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


def page_to_item_title(page: Page, current: str | None, profile: Profile) -> str | None:
    """The item in force on ``page``: a new item heading, the current one, or none.

    A page continues the current item when it opens with the parts of an item's
    section (the profile's ``item_continuation``, on its first or second line) or with
    a table running on from the previous page; any other heading closes it.
    """
    heading, slide, cont = (_regex(profile, k) for k in ("item_heading", "item_slide", "item_continuation"))
    # a running header (資料1, - 3 -) printed above every page of a material opens no page
    lines = [ln for ln in page.lines if not is_running_header(normalize_text(ln.text))]
    heads = [normalize_text(ln.text) for ln in lines[:3]]
    # a slide title wrapped inside its bracket ((有害鳥獣の連携 ⏎ 捕獲の推進)) is read joined
    wrapped = [join_pair(a, b) for a, b in zip(heads, heads[1:]) if _opens_bracket(a)]
    for text in [*heads, *wrapped]:
        m = heading.match(text) if heading and text in heads else None
        if m:
            return title_to_item_key(m.group("title"), profile)
        m = slide.search(text) if slide else None
        if m:
            title = title_to_item_key(m.group("title"), profile)
            return current if current and _similar(current, title) else title
    # a slide's own title may stand above the part that continues the item (a topic's name over
    # its 概要; on a scan, the 連携項目名 label printed white on a dark band is not read at all)
    if heads and cont is not None and any(cont.match(h) for h in heads[:2]):
        return current
    if page.tables and lines and page.tables[0].bbox[1] <= lines[0].top + 2:
        return current
    return None


def _is_list_entry(text: str, profile: Profile) -> bool:
    """A line of a materials list (資料3 年間スケジュール): it names a section, it does not open one."""
    pat = _regex(profile, "material_entry")
    return bool(pat and pat.match(_compact(text)))


#: Top-level kinds whose section ends where an item's pages begin.
_NO_ITEMS_INSIDE = ("cover", "attendees")


def _ended_before(section: Section, starts: list[Point]) -> Section:
    later = [p for p in starts if p > section.start and (section.end is None or p < section.end)]
    return replace(section, end=min(later)) if later else section


def document_to_outline(doc: Document, profile: Profile) -> Outline:
    """The sections of a document, found with the profile's outline vocabulary.

    Top-level sections follow one another: the cover (the first page with a cover
    heading, or page 1 when the profile says records open with their header), each
    attendee list, the schedule, reference materials (以下、参考資料), materials (a
    資料N label near a page's top), and pages of no interest to a parser under a
    heading the profile knows (配席図, one page each); each ends where the next begins. Item sections (consecutive pages under one
    item heading) nest inside them.

    Args:
        doc: the IR.
        profile: the document's body profile.

    Returns:
        The outline, sections in document order.
    """
    last = doc.pages[-1].number if doc.pages else 0
    starts: list[tuple[Point, str, str | None]] = []  # (where, kind, label)

    prev_label = None
    for page in doc.pages:
        label = page_to_material_label(page, profile)
        if label and label != prev_label:
            starts.append(((page.number, 0.0), "material", label))
        prev_label = label or prev_label

    cover_words = profile.words("outline", "cover_headings")
    cover_at = None
    for page in doc.pages:
        hit = [ln for ln in _heading_lines(page, cover_words) if not _is_list_entry(ln.text, profile)]
        if hit:
            cover_at = ((page.number, 0.0), "cover", _compact(hit[0].text))
            break
    if cover_at is None and doc.pages and profile.get("outline", "header_on_first_page", False):
        cover_at = ((doc.pages[0].number, 0.0), "cover", None)
    if cover_at is not None:
        starts.append(cover_at)

    for kind, key in (("attendees", "attendee_headings"), ("schedule", "schedule_headings"),
                      ("reference", "reference_headings"), ("other", "other_headings")):
        words = profile.words("outline", key)
        for page in doc.pages:
            for ln in _heading_lines(page, words):
                if not _is_list_entry(ln.text, profile):
                    starts.append(((page.number, ln.top), kind, _compact(ln.text)))
                    break  # one start per page: the lists under it are the parser's to split

    starts.sort(key=lambda s: s[0])
    kept: list[tuple[Point, str, str | None]] = []
    for start in starts:
        # the attendee heading repeated on the next page (a list running on) continues its section
        if kept and kept[-1][1] == start[1] == "attendees":
            continue
        kept.append(start)
    # each top-level section ends where the next one starts
    sections = [Section(kind, label, point, kept[j + 1][0] if j + 1 < len(kept) else None)
                for j, (point, kind, label) in enumerate(kept)]

    current, run_start = None, None
    for page in doc.pages:
        item = page_to_item_title(page, current, profile)
        if item != current:
            if current is not None:
                sections.append(Section("item", current, (run_start, 0.0), (page.number, 0.0), current))
            current, run_start = item, page.number
    if current is not None:
        sections.append(Section("item", current, (run_start, 0.0), None, current))

    # a cover or a list of attendees holds no item's pages: one runs on past them only when
    # the heading after it was not found (配席図 misread on a scan)
    item_starts = [s.start for s in sections if s.kind == "item"]
    sections = [_ended_before(s, item_starts) if s.kind in _NO_ITEMS_INSIDE else s for s in sections]
    # a page no parser reads (配席図) is one page: the pages after it are not its own (the WG
    # table after a seating chart had been cited as the chart's)
    sections = [_ended_before(s, [(s.start[0] + 1, 0.0)]) if s.kind == "other" else s for s in sections]

    return Outline(tuple(sorted(sections, key=lambda s: (s.start, KINDS.index(s.kind)))), last)
