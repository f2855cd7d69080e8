"""OCR for pages without a text layer (scanned packets), into the same IR.

Uses the ``tesseract`` command (Debian: tesseract-ocr, tesseract-ocr-jpn) when it
is installed; without it pages stay empty and the parse stage warns how to enable
it. Each scanned page goes through:

1. render at 300 dpi (a 200 dpi office scan is brought up to what the recognizer
   was trained on);
2. clean-up (pipeline.ocr_image): binarize, drop isolated specks, estimate the skew
   from the ink and straighten the page;
3. ruling lines found by morphology; pdfplumber's own edge → intersection → cell
   steps turn them into cells, so a scanned table reaches the parsers as rows and
   cells just like a born-digital one;
4. the page read in one pass, and every table cell read on its own (a cell read
   alone is read far better than the same words in a page pass), cut from the
   straightened grayscale page (rules and specks painted over: a threshold breaks the
   thin strokes of a blurred or JPEG'd scan that the recognizer still reads in gray);
   a one-line cell tesseract is unsure of is read again with another model, other
   margins and from the binarized page, and the readings vote, the dictionary
   deciding between readings the votes back about as well (pipeline.ocr_lexicon).
   Tesseract runs once per step for all pages of the document: loading its model
   costs more than reading a page's cells;
5. each line cleaned of tesseract's usual slips in Japanese print (a bullet read as a
   letter, a range's wave dash as 一 or て, a share's decimal point as a colon, a
   unit after a number with one kanji misread).

Every line and cell keeps a confidence (0–1: the recognizer's word confidences,
weighted by characters, times the share of margin readings that agreed), stored in
the IR (``Line.confidence``, ``Table.cell_confidences``), so that later stages can
flag doubtful readings.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.ir import Line, Page, Table

DEFAULT_OCR_DPI = 300
DEFAULT_OCR_LANG = "jpn"
#: Language data that re-read doubtful cells, when installed (Debian tesseract-ocr-script-jpan:
#: the Japanese script model, trained on more fonts; slower, and better on damaged glyphs).
DEFAULT_SECOND_LANGS = ("Japanese",)
DEFAULT_OCR_TIMEOUT = 120  # seconds per tesseract run, plus the allowance per image below
DEFAULT_OCR_TIMEOUT_PER_PAGE = 60
DEFAULT_OCR_TIMEOUT_PER_CELL = 3
#: zlib level of the images handed to tesseract: they live for one run, so the fastest
#: level (half the encoding time of the default, the same pixels).
DEFAULT_PNG_LEVEL = 1
#: A ruling line is at least this long (PDF points); a glyph stroke is shorter.
DEFAULT_MIN_RULE_PT = 30.0
#: A line that meets no other line is a rule (an underline, a frame edge) only from this
#: long (pt): the strokes of a bold heading run together into shorter ones.
DEFAULT_LONE_RULE_PT = 120.0
#: Words tesseract itself gives less than this (0–100) are noise (specks read as 、 or ー).
DEFAULT_MIN_WORD_CONF = 10.0
#: ... unless it is at least this share of its line's glyph height (words_to_glyph_sized).
DEFAULT_GLYPH_SHARE = 0.6
#: A word of the page pass this many times as high as its line's median word stands over the
#: line's other words by an artifact of tesseract's, not by its glyphs (see words_to_lines).
DEFAULT_TALL_WORD = 1.5
#: A gap wider than this share of the glyph height is a printed space (田中 斉);
#: tesseract splits Japanese into "words" at narrower gaps that are not spaces.
DEFAULT_SPACE_GAP = 0.8
#: Table cells lower than this (pt) hold one line of text.
DEFAULT_SINGLE_LINE_PT = 22.0
#: White margins (px) a one-line cell is read with. The first margin reads every
#: cell; the others only re-read the doubtful ones, and the most frequent reading wins.
DEFAULT_VOTE_PADS = (8, 6)
#: Read every one-line cell from the binarized page too: a threshold breaks other strokes
#: than JPEG and blur do, so the two err in different places (a lost bracket, a kanji) ...
DEFAULT_BINARY_VOTE = True
#: ... so every one-line cell gets at least this many readings before it may count as sure.
DEFAULT_MIN_VOTES = 2
#: A one-line cell read with at least this confidence (0–1) is not read again.
DEFAULT_SURE_CONF = 0.90
#: Readings of a cell backed by at least this share of the best-backed one's weight may
#: win by the dictionary (pipeline.ocr_lexicon); weaker ones are not readings worth a word.
DEFAULT_LEXICON_SHARE = 0.5
#: A later line of a cell whose ink is this many times wider than high, at most this many
#: glyphs wide and at most this share of a glyph high (the cell's first line) is one stroke: 一.
DEFAULT_STROKE_ASPECT = 4.0
DEFAULT_STROKE_GLYPHS = 1.5
DEFAULT_STROKE_HEIGHT = 0.35
#: A line of a cell whose ink is no bigger either way than this share of the cell's tallest
#: line is a speck, not print (a dot of dust above 蔵堀祐, read as ーー).
DEFAULT_SPECK_LINE = 0.35
#: Pixels cut from each cell edge so no ruling line is left in the crop.
DEFAULT_CELL_INSET = 5
#: A doubtful one-line cell's kanji are checked against the installed typefaces' (ocr_glyph) ...
DEFAULT_GLYPH_CHECK = True
#: ... a line read with less confidence than this (0–1): votes sure of a misread kanji (小矢都
#: for 小矢部, 0.93) are checked too; the surest readings are left as read.
DEFAULT_GLYPH_CHECK_CONF = 0.95
# tesseract reads the wave dash of a time range (3時～4時) as 一 or ー, or drops it: two
# times never stand side by side without one (午後3時4時30分 is 午後3時～4時30分).
_RANGE_DASH = re.compile(r"(?<=[時分0-9])\s*[一ー―‐-]\s*(?=[0-9])|(?<=[時分])\s*(?=[0-9]{1,2}時)"
                         # ... or as て, which never stands between two numbers or after a time
                         # before one (10て12月, 午後3時て4時30分)
                         r"|(?<=[0-9])て(?=[0-9])|(?<=[時分])\s*て\s*(?=[0-9])"
                         # ... and between two months or days also as < (8月<9月, 10月一11月; the
                         # second month's 月 may wrap to the cell's next line)
                         # ... or へ and て there too (5月へ6月)
                         r"|(?<=[0-9][月日])\s*[一ー―‐<＜へて-]\s*(?=[0-9]{1,2}(?:[月日]|$))")
# ... and the 末 of an as-of date as 未, 示, 米, 木, 本 or another kanji: between a number and
# 時点 or 現在 only 末, 月, 日 and 年 stand (R4.12未時点 and R4.12打時点 are R4.12末時点).
_AS_OF_END = re.compile(r"(?<=[0-9])\s*(?![月日年末])[\u4e00-\u9fff](?=\s*(?:時点|現在))")
# ... and the 在 of 現在 after a date, at the end of its bracket or line, as another kanji
# (12/31日現和): after a date only 現在 stands there (現地 or 現行 goes on to a noun).
_AS_OF_NOW = re.compile(r"(?:(?<=[0-9])|(?<=[0-9][日月末])|(?<=[0-9]月末))(\s*現)(?!在)[\u4e00-\u9fff](?=\s*(?:[)）]|$))")
# ... or not read at all between two months (8月9月 is 8月～9月; R5.10月11 ⏎ 月, a cell's
# lines joined, is R5.10月～11月): print never sets two months side by side without it
_LOST_RANGE = re.compile(r"(?<=[0-9]月)(?:[^\S\n]*(?=[0-9]{1,2}月)|(?=[0-9]{1,2}\s*月))")
# ... and a speck between a number and its counter as 。 (8。階): a sentence never ends there;
# or between a kanji and a number as a Latin mark (時点.41.7%): Japanese print has none there
_DIGIT_STOP = re.compile(r"(?<=[0-9])\s*。\s*(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[.'`]+(?=[0-9])")
# A 1 with a speck stuck to its side reads as + ((+月7日現在): print puts no + before a
# month's day at the start of a phrase
_PLUS_ONE = re.compile(r"(?:^|(?<=[\s(（、,]))\+(?=月\s*[0-9末上中下])"
                       # ... and a 1 run into the bracket before it as 人 or 入 ((1月7日現在 read
                       # 人月7日現在): a man-month is never followed by a day
                       r"|(?:^|(?<=[\s、,]))[人入](?=月\s*[0-9]{1,2}\s*日)")
# ... and the 人 counting persons after a number as 入 (34社727入申請済, 既に300入): a number
# comes before 入 only in the words below (10個入り, R4.3入札)
_PERSONS_MISREAD = re.compile(r"(?<=[0-9])\s*入(?![りるれ札力会学院所場国館居港庁社団賞荷金])")
# ... and the 旬 of a month's first or last third as nothing (R4.8月下 is R4.8月下旬): 上 or 下
# alone after a month means nothing else (8月中 does: during August).
_THIRD_LOST = re.compile(r"(?P<month>[0-9]\s?月\s?)(?P<third>[上下])(?=\s|$)")
# ... and the period of an era date as a colon or two periods (R4:1.1時点, R5.1:19, R5..1.19):
# a time never follows an era's letter.
_ERA_DATE = re.compile(r"(?<![A-Za-z])[RH]\s?[0-9]{1,2}(?:\s*[.．:：;；]+\s*[0-9]{1,2}){1,2}")
# ... or read as a gap, in a line that is that date alone (a schedule's date cell: R3 1.10,
# R4.3 4): year, month and day, with a period or a gap between each.
_ERA_DATE_GAPS = re.compile(r"^(?P<era>[RH])\s?(?P<y>[0-9]{1,2})(?:\s*[.．]\s*|\s+)(?P<m>[0-9]{1,2})"
                            r"(?:\s*[.．]\s*|\s+)(?P<d>[0-9]{1,2})$")
# ... or, before the day, as a comma (R3.12、8 is R3.12.8; R4.4、5月 is April and May)
_ERA_DAY_COMMA = re.compile(r"(?<![A-Za-z])(?P<month>[RH]\s?[0-9]{1,2}\s*[.．]\s*[0-9]{1,2})\s*[、,，]\s*"
                            r"(?P<day>[0-9]{1,2})(?![0-9月日年/.．,，、])")
# ... or after the year, before a whole month.day (R4、3.4 is R4.3.4)
_ERA_YEAR_COMMA = re.compile(r"(?<![A-Za-z])(?P<year>[RH]\s?[0-9]{1,2})\s*[、,，]\s*"
                             r"(?P<rest>[0-9]{1,2}\s*[.．]\s*[0-9]{1,2})(?![0-9.．%％倍])")
# ... and Reiwa 5 as RS (R5. 5月～6月 read RS. 5月～6月): S is no era's year; and a speck
# between the era's letter and its year read as a colon or a period (R:3.1.10).
# ... and the 年 of a fiscal year misread as another kanji (令和3征度): an era's year and 度
# have nothing else between them
_ERA_FY_YEAR = re.compile(r"(?P<year>(?:令和|平成|昭和)\s*[0-9０-９元]{1,2}\s*)[\u4e00-\u9fff](?<!年)(?=\s*度)")
# ... or a Latin letter read beside the year's number (令和5S年度, 令和5s年度): an era's year and
# its 年 have nothing between them
_ERA_YEAR_LETTER = re.compile(r"(?P<year>(?:令和|平成|昭和)\s*[0-9０-９元]{1,2})\s*[A-Za-z](?=\s*年)")
# ... and 令和 that lost its 令 where a date starts (日時 和5年1月19日): 和 alone never heads a year
# ... or with its 令 read as another kanji (信和4年度, 今和3年, 合和5年度): of the eras only 令和
# and 昭和 end in 和 (平和 is a word).
_REIWA_MISREAD = re.compile(r"(?![令昭平])[\u4e00-\u9fff](?=和\s*[0-9０-９元]{1,2}\s*年)")
_REIWA_CUT = re.compile(r"(?:^|(?<=[\s:：]))和(?=\s*[0-9０-９元]{1,2}\s*年)")
# (and RS before a year's 年, a bracket or nothing: RS年度分, RS (案) as a table's column)
_ERA_FIVE = re.compile(r"(?<![A-Za-z])R\s?[Ss](?=\s*[.．]\s*[0-9]|\s*年|\s*[(（]|\s*$)|(?<=令和)\s*[Ss](?=\s*年)")
# ... or the 5 read twice, as S and 5 (RS5.1.16国公表資料, RS5年度分)
_ERA_FIVE_TWICE = re.compile(r"(?<![A-Za-z])R\s?[Ss](?=5\s*[.．年])")
_ERA_SPECK = re.compile(r"(?<![A-Za-z])(?P<era>[RH])\s*[:：;；.．]\s*(?=[0-9]{1,2}\s*[.．:：]\s*[0-9])"
                        # ... or as a Latin letter before it (JR 3.5.14): a whole date follows
                        r"|(?<![A-Za-z])[A-Za-z](?P<era2>[RH])"
                        r"(?=\s?[0-9]{1,2}\s*[.．]\s*[0-9]{1,2}\s*[.．]\s*[0-9]{1,2})")
# ... and the arrow between a figure before and after (（全国27位）⇒ R4. 1. 1時点) as つ or
# 写 (a kanji the broken ⇒ is read as): neither stands between a closing bracket and an
# era's date.
# A date's 1 read as a bracket or a bar between 年 and 月 (令和4年]月20日), and its 日 as H before
# the weekday (1月20H (木)).
_MONTH_ONE = re.compile(r"(?<=[0-9]年)\s*[\]|｜lI!]\s*(?=月)")
_DAY_AS_H = re.compile(r"(?:(?<=[0-9]月[0-9])|(?<=[0-9]月[0-9][0-9]))\s*H(?=\s*[(（][月火水木金土日])")
# A bar between two kana or kanji is a speck: print sets none inside words (における|協議事項).
_BAR_SPECK = re.compile(r"(?<=[\u3040-\u30ff\u4e00-\u9fff])[|｜](?=[\u3040-\u30ff\u4e00-\u9fff])")
_ARROW = re.compile(r"(?<=[)）])\s*[つ写]\s*[.,]?\s*(?=(?:[RH]|令和|平成)\s*[0-9])")
# ... and the decimal point of a share as a colon (41: 7%): a time (15:30) is never a share.
_DECIMAL_COLON = re.compile(r"(?<=[0-9])\s*[:;：；]\s*(?=[0-9]+(?:\s*[.．][0-9]+)?\s*[%％])")
# ... and a bullet at a line's start as @, * or a lone Latin letter; Japanese print has no
# Latin letter standing alone before kanji or a number (eラーニング, before katakana, stays).
# Glued to the text it is the ● of the text (●クマ等); set apart by a space it is a list
# marker drawn as a shape, which a text layer does not have either (• 3 農林水産物…).
_BULLET = re.compile(r"^(?:[@*]|[eosc](?=\s|[0-9①-⑳\u4e00-\u9fff]))(?P<space>\s+)?")


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read."""

    dpi: int = DEFAULT_OCR_DPI
    lang: str = DEFAULT_OCR_LANG
    second_langs: tuple[str, ...] = DEFAULT_SECOND_LANGS
    timeout: float = DEFAULT_OCR_TIMEOUT
    min_rule_pt: float = DEFAULT_MIN_RULE_PT
    vote_pads: tuple[int, ...] = DEFAULT_VOTE_PADS
    binary_vote: bool = DEFAULT_BINARY_VOTE
    min_votes: int = DEFAULT_MIN_VOTES
    sure_conf: float = DEFAULT_SURE_CONF
    glyph_check: bool = DEFAULT_GLYPH_CHECK

    @property
    def langs(self) -> tuple[str, ...]:
        return (self.lang, *self.second_langs)


@dataclass(frozen=True)
class Reading:
    """One recognized text (a cell or a line) and how sure the recognizer was (0–1)."""

    text: str
    confidence: float | None


def tesseract_available(lang: str = DEFAULT_OCR_LANG) -> bool:
    """True when tesseract is on PATH and has the language's data."""
    exe = shutil.which("tesseract")
    return bool(exe) and lang in _tesseract_langs(exe)


def _tesseract_langs(exe: str) -> tuple[str, ...]:
    return tuple(_tesseract_listing(exe)[0].split())


@functools.lru_cache(maxsize=4)
def _tesseract_listing(exe: str) -> tuple[str, str]:
    """What ``tesseract --list-langs`` prints (stdout, stderr): the languages, and a line
    naming the tessdata folder they are in."""
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "", ""
    return out.stdout, out.stderr


@functools.lru_cache(maxsize=8)
def lang_to_characters(lang: str) -> frozenset[str]:
    """The characters a tesseract model can put out: its LSTM unicharset, read from the
    installed traineddata with tesseract's own combine_tessdata. Empty when either is missing.

    A kanji outside it (齊 and 肇 are outside jpn's 2,700) is never read right, only as
    another kanji: the glyph check may put it in on less evidence.
    """
    exe, combine = shutil.which("tesseract"), shutil.which("combine_tessdata")
    if not exe or not combine or lang not in _tesseract_langs(exe):
        return frozenset()
    folder = re.search(r'"([^"]+)"', "".join(_tesseract_listing(exe)))
    if not folder:
        return frozenset()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([combine, "-u", str(Path(folder.group(1)) / f"{lang}.traineddata"),
                            str(Path(tmp) / f"{lang}.")], capture_output=True, timeout=60, check=True)
            lines = (Path(tmp) / f"{lang}.lstm-unicharset").read_text(encoding="utf-8").splitlines()
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # the first line counts the entries; each entry starts with its characters and a space
    return frozenset(ln.split(" ", 1)[0] for ln in lines[1:] if ln.strip())


def fill_missing_text(path: Path, pages: list[Page], problems: list,
                      settings: OcrSettings = OcrSettings(), on_ocr=None) -> list[Page]:
    """Return ``pages`` with OCR text and tables for the pages that have no text layer.

    A page whose OCR fails keeps its empty text and gets an entry in ``problems``.
    ``on_ocr``, when given, is called with the number of pages to read before OCR starts.
    """
    missing = [p for p in pages if p.needs_ocr and p.width > 0]
    if not missing or not tesseract_available(settings.lang):
        return pages
    if on_ocr is not None:
        on_ocr(len(missing))
    import pypdfium2

    out = {p.number: p for p in pages}
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        def render(p: Page):
            return pdf[p.number - 1].render(scale=settings.dpi / 72, grayscale=True).to_pil().convert("L")

        out.update(pages_to_ocr(missing, render, problems, settings))
    finally:
        pdf.close()
    return [out[p.number] for p in pages]


def pages_to_ocr(pages: list[Page], render, problems: list,
                 settings: OcrSettings = OcrSettings()) -> dict[int, Page]:
    """OCR pages in a few tesseract runs for all of them (each run loads the model once:
    about 0.4 s of CPU, more than reading a page's cells).

    Args:
        pages: the IR pages to read (their size and number are kept).
        render: page → its image (PIL) at ``settings.dpi``; called one page at a time, so
            only one full-size image is in memory.
        problems: (page, reason) is appended for a page that fails.

    Returns:
        page number → the OCR'd page, for the pages that succeeded.
    """
    from pipeline import ocr_image as oi

    scale = 72.0 / settings.dpi
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        prepared: dict[int, tuple[Page, PreparedPage, str]] = {}
        for p in pages:
            try:
                prep = gray_to_prepared(oi.image_to_gray(render(p)), scale, settings.min_rule_pt)
                inks = _cell_inks(prep, scale)
                png = os.path.join(tmp, f"page{p.number:05d}.png")
                _without_cells(prep.image, inks).save(png, compress_level=DEFAULT_PNG_LEVEL)
                # keep only the cells' ink: the page image is on disk for the page pass
                prepared[p.number] = (p, replace(prep, image=None, gray=None, cell_inks=inks), png)
            except Exception as e:  # one bad page must not cost the others
                problems.append((p.number, f"OCR failed: {type(e).__name__}: {e}"))
        try:
            return _read_prepared(prepared, tmp, settings)
        except Exception:
            pass  # a tesseract run failed: read page by page, so only the culprit is lost
        out = {}
        for n, item in prepared.items():
            try:
                out.update(_read_prepared({n: item}, tmp, settings))
            except Exception as e:
                problems.append((n, f"OCR failed: {type(e).__name__}: {e}"))
        return out


#: A run of kana of at least DEFAULT_KANA_RUN_CHARS characters, DEFAULT_KANA_RUN_KATAKANA of
#: them katakana, read on one line only, that is one katakana away from a run printed on at
#: least DEFAULT_KANA_RUN_VOTES lines of the document (a katakana read in its place, or one
#: read from a speck beside it) is that run: a misread is rarely repeated alike (ウンチームとやま
#: among ワンチームとやま, コロナヴウイルス among コロナウイルス). Hiragana runs alone are left: short
#: ones differ by one kana as words (していく / していた).
DEFAULT_KANA_RUN_CHARS = 6
DEFAULT_KANA_RUN_KATAKANA = 4
DEFAULT_KANA_RUN_VOTES = 3
_KANA_RUN = re.compile(r"[\u3041-\u3096\u30a1-\u30faー]+")
_KATAKANA = re.compile(r"[\u30a1-\u30fa]")


def texts_to_kana_repairs(texts: list[str]) -> dict[str, str]:
    """The kana runs of a document's OCR'd lines that are misreads of a run it prints often
    (see DEFAULT_KANA_RUN_CHARS), each with the run it stands for."""
    from pipeline.ocr_lexicon import one_katakana_apart, one_katakana_more

    counts = Counter(run for t in texts for run in set(_KANA_RUN.findall(t))
                     if len(run) >= DEFAULT_KANA_RUN_CHARS
                     and len(_KATAKANA.findall(run)) >= DEFAULT_KANA_RUN_KATAKANA)
    frequent = [r for r, c in counts.items() if c >= DEFAULT_KANA_RUN_VOTES]
    repairs = {}
    for run in (r for r, c in counts.items() if c == 1):
        near = [f for f in frequent if one_katakana_apart(f, run) or one_katakana_more(f, run)]
        if len(near) == 1:
            repairs[run] = near[0]
    return repairs


def pages_to_kana_repaired(pages: dict[int, Page]) -> dict[int, Page]:
    """OCR'd pages with their misread kana runs (texts_to_kana_repairs) replaced in lines,
    page text and table cells alike."""
    repairs = texts_to_kana_repairs([ln.text for p in pages.values() for ln in p.lines])
    if not repairs:
        return pages

    def fix(text):
        return _KANA_RUN.sub(lambda m: repairs.get(m.group(), m.group()), text) if text else text

    return {n: replace(p, text=fix(p.text), lines=[replace(ln, text=fix(ln.text)) for ln in p.lines],
                       tables=[replace(t, rows=[[fix(c) for c in row] for row in t.rows]) for t in p.tables])
            for n, p in pages.items()}


def _read_prepared(prepared: dict, tmp: str, settings: OcrSettings) -> dict[int, Page]:
    scale = 72.0 / settings.dpi
    numbers = list(prepared)
    words = paths_to_words([prepared[n][2] for n in numbers], scale, tmp, settings)
    if settings.glyph_check:
        words = [words_to_share_checked(ws, prepared[n][2], scale) for n, ws in zip(numbers, words)]
    inks = {(n, c, i): ink for n in numbers for c, lines in prepared[n][1].cell_inks.items()
            for i, ink in enumerate(lines)}
    readings = cell_inks_to_readings(inks, scale, tmp, settings)
    out = {}
    for n, page_words in zip(numbers, words):
        page, prep, _ = prepared[n]
        in_cells = cells_to_lines([(ink, readings[(n, c, i)]) for c, lines in prep.cell_inks.items()
                                   for i, ink in enumerate(lines)], scale)
        lines = sorted(words_to_lines(page_words) + in_cells, key=lambda ln: (round(ln.top / 4), ln.x0))
        by_cell = {c: lines_to_reading([readings[(n, c, i)] for i in range(len(ls))])
                   for c, ls in prep.cell_inks.items()}
        tables = [cells_to_table(cells, by_cell) for cells in prep.table_cells]
        out[n] = replace(page, text="\n".join(ln.text for ln in lines), lines=lines,
                         tables=[t for t in tables if t.rows], has_text_layer=False, source="ocr")
    return pages_to_kana_repaired(out)


@dataclass(frozen=True)
class CellInk:
    """The ink of one table cell, cut out of the page, and where it sat (page pixels)."""

    image: object  # PIL image, trimmed to the ink
    box: tuple[int, int, int, int]  # x0, top, x1, bottom
    binary: object = None  # the same piece of the binarized page, when ``image`` is grayscale
    stroke: bool = False  # a line of a cell that is one flat stroke: 一 (read by its shape)


@dataclass(frozen=True)
class PreparedPage:
    """A page image ready for recognition."""

    image: object  # PIL image, black text on white, ruling lines and specks removed
    skew: float  # degrees counter-clockwise the scan was askew (corrected in ``image``)
    table_cells: list  # per table, its cell boxes in PDF points
    cell_inks: dict = field(default_factory=dict)  # cell box (pt) → its lines' CellInk, once cut out
    #: the straightened grayscale page (numpy uint8) with rules and specks painted over, lightly
    #: smoothed: what cells are read from (None on a page without tables)
    gray: object = None


def gray_to_prepared(gray, scale: float, min_rule_pt: float = DEFAULT_MIN_RULE_PT) -> PreparedPage:
    """Straighten and clean a grayscale page (numpy uint8) and find its ruled tables.

    The skew is estimated on the shrunk page's ink, then the grayscale page is rotated
    and binarized, so the straightened ink is not resampled from a 1-bit mask. The straightened
    grayscale page is kept too (rules and specks painted over with paper): table cells
    are read from it.
    """
    from pipeline import ocr_image as oi

    skew = oi.gray_to_skew(gray)
    if abs(skew) >= oi.DEFAULT_MIN_SKEW:
        gray = oi.gray_to_deskewed(gray, skew)
    ink = oi.gray_to_ink(gray)
    segments = oi.ink_to_rules(ink, max(int(min_rule_pt / scale), 10))
    rules = oi.rules_to_closed(oi.segments_to_rules(segments, int(DEFAULT_LONE_RULE_PT / scale)))
    table_cells = segments_to_table_cells(rules, scale)
    rule_mask = oi.rules_to_mask(ink.shape, rules)
    # specks go after the rules: a ruling line would shelter the specks beside it
    text_ink = oi.ink_to_despeckled(ink & ~rule_mask)
    paper = oi.gray_to_cleaned(gray, rule_mask | (ink & ~text_ink)) if table_cells else None
    return PreparedPage(oi.ink_to_image(text_ink), skew, table_cells, gray=paper)


def image_to_page(image, page: Page, settings: OcrSettings = OcrSettings()) -> Page:
    """OCR one page image (PIL) into an IR page (coordinates in PDF points).

    Raises:
        RuntimeError: the page could not be read (the reason).
    """
    problems: list = []
    out = pages_to_ocr([page], lambda _: image, problems, settings)
    if page.number not in out:
        raise RuntimeError(problems[0][1] if problems else "OCR failed")
    return out[page.number]


def _run_tesseract(args: list[str], settings: OcrSettings, extra_seconds: float = 0.0) -> str:
    from pipeline.worker import die_with_parent

    # One thread per tesseract: the ingest already runs one worker per core.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    # a worker killed at its time limit takes its tesseract down with it
    proc = subprocess.run(["tesseract", *args], capture_output=True, timeout=settings.timeout + extra_seconds,
                          env=env, preexec_fn=die_with_parent)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[:200])
    return proc.stdout.decode("utf-8", "replace")


def _tsv_rows(tsv: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [r for r in reader if r.get("level") == "5" and (r.get("text") or "").strip()]


def paths_to_words(paths: list[str], scale: float, tmp: str,
                   settings: OcrSettings = OcrSettings()) -> list[list[dict]]:
    """Run tesseract once over whole page images; per image, its words with boxes in PDF
    points and confidence (0–100)."""
    if not paths:
        return []
    listing = os.path.join(tmp, f"pages-{len(paths)}-{abs(hash(paths[0]))}.txt")
    with open(listing, "w", encoding="utf-8") as fh:
        fh.write("\n".join(paths) + "\n")
    tsv = _run_tesseract([listing, "stdout", "-l", settings.lang, "--psm", "4", "tsv"], settings,
                         DEFAULT_OCR_TIMEOUT_PER_PAGE * len(paths))
    out: list[list[dict]] = [[] for _ in paths]
    for r in _tsv_rows(tsv):
        conf = float(r.get("conf") or -1)
        if conf < 0 or not r["text"].strip():
            continue
        x, y, w, h = (int(r[k]) for k in ("left", "top", "width", "height"))
        out[int(r["page_num"]) - 1].append(
            {"text": r["text"].strip(), "conf": conf, "x0": x * scale, "top": y * scale, "x1": (x + w) * scale,
             "bottom": (y + h) * scale, "line": (r["block_num"], r["par_num"], r["line_num"])})
    return [words_to_glyph_sized(ws) for ws in out]


#: A word of digits and Latin letters (two at least: a lone . or ' is a speck's reading).
_ALNUM_WORD = re.compile(r"^[!-~]*[0-9A-Za-z][!-~]*[0-9A-Za-z][!-~]*$")


def words_to_glyph_sized(words: list[dict]) -> list[dict]:
    """The words of a page pass without the specks: a word read with almost no confidence
    (under DEFAULT_MIN_WORD_CONF) is dropped unless it is as big as the sure glyphs of its
    line (at least DEFAULT_GLYPH_SHARE of their median height, and a quarter of it wide); a
    word of digits and Latin letters, as big as the sure such words of its line, if any.

    A broken kanji is read with confidence 0 as often as a speck is (5箇所新設: 箇 at 0,
    measured on the r3 gray scan, where 23 of 28 such words in six pages were glyphs of
    the print); a speck is far smaller than the glyphs beside it.
    """
    import statistics

    heights: dict = {}
    alnum_heights: dict = {}  # ... of the words of digits and Latin letters alone
    for w in words:
        if w["conf"] >= DEFAULT_MIN_WORD_CONF:
            heights.setdefault(w["line"], []).append(w["bottom"] - w["top"])
            if _ALNUM_WORD.match(w["text"]):
                alnum_heights.setdefault(w["line"], []).append(w["bottom"] - w["top"])
    out = []
    for w in words:
        if w["conf"] < DEFAULT_MIN_WORD_CONF:
            # digits and Latin letters are shorter than kanji: a date is measured against
            # the sure dates and numbers of its line (R4.12 beside R4.1.1時点)
            sure = (_ALNUM_WORD.match(w["text"]) and alnum_heights.get(w["line"])) or heights.get(w["line"])
            if not sure:
                continue
            glyph = statistics.median(sure)
            if (w["bottom"] - w["top"] < DEFAULT_GLYPH_SHARE * glyph
                    or w["x1"] - w["x0"] < 0.25 * glyph):
                continue
        out.append(w)
    return out


def words_to_share_checked(words: list[dict], page_path: str, scale: float) -> list[dict]:
    """The page pass's words with a share whose ％ was read as digits (96, 06, 9) or 9% mended,
    when the word's last glyph is a ％ or its ink is as wide as the share
    (ocr_glyph.word_to_share_checked): tesseract reads 41.7% as 41.796, 41.79 or 41.79%, and
    22. 7% as the words 22. and 796.

    Args:
        words: paths_to_words' words of one page (boxes in PDF points).
        page_path: the page image they were read from.
    """
    from pipeline import ocr_glyph

    def share_at(i: int) -> tuple[int, str] | None:
        """(first word, text) of a share that may have been misread, ending with word i."""
        w = words[i]
        if ocr_glyph.SHARE_MISREAD.match(w["text"]):
            return i, w["text"]
        prev = words[i - 1] if i else None
        if (prev and prev["line"] == w["line"] and re.fullmatch(r"[0-9]+\.", prev["text"])
                and ocr_glyph.SHARE_MISREAD.match(prev["text"] + " " + w["text"])):
            return i - 1, prev["text"] + " " + w["text"]
        return None

    found = {i: hit for i in range(len(words)) if (hit := share_at(i))}
    if not found:
        return words
    import numpy as np
    from PIL import Image

    faces = ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES)
    page = np.asarray(Image.open(page_path).convert("L")) < 128
    out = list(words)
    for i, (first, text) in found.items():
        x0, top = (int(round(min(w[k] for w in words[first:i + 1]) / scale)) for k in ("x0", "top"))
        x1, bottom = (int(round(max(w[k] for w in words[first:i + 1]) / scale)) for k in ("x1", "bottom"))
        pad = 3  # tesseract's box is tight: keep the ink at its edge
        ink = page[max(top - pad, 0):bottom + pad, max(x0 - pad, 0):x1 + pad]
        checked = ocr_glyph.word_to_share_checked(text, ink, faces)
        if checked != text:
            # the first words keep their text (22.), the last takes the rest of the share (7%)
            kept = len(text) - len(words[i]["text"])
            out[i] = dict(words[i], text=checked[kept:].strip())
    return out


def _join_words(words: list[dict]) -> str:
    """Join OCR words in tesseract's reading order: Japanese runs close up; a visible gap
    (> 0.8 glyph) stays a space.

    The order is tesseract's, not the boxes': the box of a Japanese "word" can reach over
    its neighbour's, and sorting by it reorders the text (市長会事務局長 → 市事務長会局長).
    """
    out = ""
    prev = None
    # the line's glyph height, not the word's: a word of one ー or ・ is only a few pixels high
    height = max((w["bottom"] - w["top"] for w in words), default=1.0) or 1.0
    for w in words:
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            if gap > DEFAULT_SPACE_GAP * height or (prev["text"][-1].isascii() and w["text"][0].isascii()):
                out += " "
        out += w["text"]
        prev = w
    return out


def words_to_confidence(words: list[dict]) -> float | None:
    """Mean word confidence weighted by characters, 0–1; None without words."""
    n = sum(len(w["text"]) for w in words)
    if not n:
        return None
    return round(sum(w["conf"] * len(w["text"]) for w in words) / n / 100.0, 3)


def words_to_lines(words: list[dict]) -> list[Line]:
    """Words grouped into tesseract's lines, each with its box and confidence."""
    by_line: dict = {}
    for w in words:
        by_line.setdefault(w["line"], []).append(w)
    lines = []
    for ws in by_line.values():
        # on a noisy page tesseract gives a few words a box the height of its whole row of
        # text (場, の and 、 19 pt high in a line of 9 pt glyphs): the line's top and bottom
        # are its other words', or the line would pass for a heading in a larger type
        heights = sorted(w["bottom"] - w["top"] for w in ws)
        usual = heights[len(heights) // 2]
        upright = [w for w in ws if w["bottom"] - w["top"] <= DEFAULT_TALL_WORD * usual] or ws
        lines.append(Line(_clean_line(_join_words(ws)), round(min(w["x0"] for w in ws), 2),
                          round(min(w["top"] for w in upright), 2), round(max(w["x1"] for w in ws), 2),
                          round(max(w["bottom"] for w in upright), 2), confidence=words_to_confidence(ws)))
    lines.sort(key=lambda ln: (round(ln.top / 4), ln.x0))
    return lines


def segments_to_table_cells(segments: list, scale: float) -> list[list[tuple]]:
    """Ruled tables (lists of cell boxes in PDF points) from the ruling segments of a page."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = []
    for s in segments:
        x0, top, x1, bottom = s.x0 * scale, s.y0 * scale, s.x1 * scale, s.y1 * scale
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                      "orientation": s.orientation, "object_type": "line"})
    if not edges:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [t for t in cells_to_tables(cells) if len(t) >= 2]


def _ink_crop(image, box: tuple[int, int, int, int], gray=None) -> CellInk | None:
    """The ink inside ``box``, trimmed to its bounding box (one pixel of paper around it);
    None for an empty box.

    Args:
        image: the binarized page (PIL): it decides where the ink is.
        gray: the grayscale page (numpy) the crop is cut from, when given; else ``image``.
    """
    import numpy as np
    from PIL import Image

    crop = image.crop(box)
    ink = np.asarray(crop) < 128
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    # within the box: PIL pads a crop beyond the image with black, which reads as a rule
    x0, top = max(int(xs.min()) - 1, 0), max(int(ys.min()) - 1, 0)
    x1, bottom = min(int(xs.max()) + 2, crop.width), min(int(ys.max()) + 2, crop.height)
    page_box = (box[0] + x0, box[1] + top, box[0] + x1, box[1] + bottom)
    binary = crop.crop((x0, top, x1, bottom))
    if gray is None:
        return CellInk(binary, page_box)
    return CellInk(Image.fromarray(gray[page_box[1]:page_box[3], page_box[0]:page_box[2]]), page_box, binary)


def _cell_inks(prepared: PreparedPage, scale: float) -> dict[tuple, list[CellInk]]:
    """Each non-empty cell's ink, cut from the page inside its ruling lines, one piece per
    printed line (a line is read far better alone than in a block).

    The binarized page finds the ink and the lines; the pieces are cut from the grayscale
    page when there is one: binarizing a blurred or JPEG'd scan breaks thin strokes that
    the recognizer still reads in gray (measured on the attendee cells of the r3 scans:
    60 → 64 of 68 exact on the gray scan, 61 → 62 on the 1-bit one, one reading each).
    """
    import numpy as np

    from pipeline import ocr_image as oi

    out = {}
    for cells in prepared.table_cells:
        for c in cells:
            x0, top, x1, bottom = (int(round(v / scale)) for v in c)
            inset = DEFAULT_CELL_INSET
            if x1 - x0 <= 2 * inset + 4 or bottom - top <= 2 * inset + 4:
                continue
            ink = _ink_crop(prepared.image, (x0 + inset, top + inset, x1 - inset, bottom - inset))
            if ink is None:
                continue
            cell_ink = np.asarray(prepared.image.crop(ink.box)) < 128
            bands = oi.ink_to_line_bands(cell_ink)
            lines = [_ink_crop(prepared.image, (ink.box[0], ink.box[1] + a, ink.box[2], ink.box[1] + b),
                               prepared.gray)
                     for a, b in bands]
            lines = lines_without_specks([ln for ln in lines if ln is not None])
            # a later line that is a single flat stroke is 一 (a given name wrapped: 祐 ⏎ 一):
            # alone, tesseract reads it as ー, ーー or 』
            out[c] = [replace(ln, stroke=True) if i and _is_flat_stroke(ln, lines[0]) else ln
                      for i, ln in enumerate(lines)]
    return out


def lines_without_specks(lines: list[CellInk]) -> list[CellInk]:
    """A cell's lines less those whose ink is no bigger either way than DEFAULT_SPECK_LINE
    of the tallest line's height: a dot of dust on a line of its own (tesseract reads it as
    ーー, and it would shift which line is the cell's first)."""
    tallest = max((ln.box[3] - ln.box[1] for ln in lines), default=0)
    return [ln for ln in lines if max(ln.box[2] - ln.box[0], ln.box[3] - ln.box[1]) >= DEFAULT_SPECK_LINE * tallest]


def _is_flat_stroke(ink: CellInk, first: CellInk) -> bool:
    """True when ``ink`` is one glyph wide and a stroke thin, beside the cell's first line: 一."""
    x0, top, x1, bottom = ink.box
    glyph = first.box[3] - first.box[1]
    return ((bottom - top) * DEFAULT_STROKE_ASPECT <= (x1 - x0) <= DEFAULT_STROKE_GLYPHS * glyph
            and bottom - top <= DEFAULT_STROKE_HEIGHT * glyph)


def _without_cells(image, inks: dict[tuple, list[CellInk]]):
    """The page with the cells that are read on their own blanked out: the page pass then
    reads only the text around the tables, and nothing twice."""
    from PIL import ImageDraw

    out = image.copy()
    draw = ImageDraw.Draw(out)
    for lines in inks.values():
        for ink in lines:
            draw.rectangle(ink.box, fill=255)
    return out


def cells_to_lines(readings: list[tuple[CellInk, "Reading"]], scale: float) -> list[Line]:
    """Text lines for the table cells read on their own, as a text layer would give them.

    A cell's reading has one line per printed line; each gets an equal share of the
    cell's ink height and a width by its share of characters (Japanese print is about
    one em per character). Lines of neighbouring cells that stand level are one line,
    joined by a space, as pdfplumber joins them across cells.
    """
    pieces = []
    for ink, reading in readings:
        texts = [t for t in reading.text.split("\n") if t.strip()]
        if not texts:
            continue
        x0, top, x1, bottom = ink.box
        step = (bottom - top) / len(texts)
        longest = max(len(t) for t in texts)
        for i, t in enumerate(texts):
            right = x0 + (x1 - x0) * min(1.0, len(t) / longest)
            pieces.append((t, x0 * scale, (top + i * step) * scale, right * scale, (top + (i + 1) * step) * scale,
                           reading.confidence))
    pieces.sort(key=lambda q: (q[2], q[1]))
    rows: list[list[tuple]] = []
    for q in pieces:
        mid, height = (q[2] + q[4]) / 2, q[4] - q[2]
        row = rows[-1] if rows else None
        if row and abs(mid - (row[0][2] + row[0][4]) / 2) < 0.4 * min(height, row[0][4] - row[0][2]):
            row.append(q)
        else:
            rows.append([q])
    lines = []
    for row in rows:
        row.sort(key=lambda q: q[1])
        confs = [q[5] for q in row if q[5] is not None]
        lines.append(Line(" ".join(q[0] for q in row), round(min(q[1] for q in row), 2),
                          round(min(q[2] for q in row), 2), round(max(q[3] for q in row), 2),
                          round(max(q[4] for q in row), 2), confidence=min(confs) if confs else None))
    return lines


def _padded(ink, pad: int):
    from PIL import ImageOps

    return ImageOps.expand(ink, pad, fill=255)


def _tesseract_many(paths: list[str], psm: str, tmp: str, settings: OcrSettings) -> list[Reading]:
    """OCR many small images in one tesseract run; one reading per image.

    In a block (psm 6) words tesseract gives almost no confidence are dropped, as in the
    page pass: they are specks or a stroke read as a line; a one-line reading keeps
    every word, its best guess.
    """
    listing = os.path.join(tmp, f"list-{psm}-{len(paths)}-{abs(hash(paths[0]))}.txt")
    with open(listing, "w", encoding="utf-8") as fh:
        fh.write("\n".join(paths) + "\n")
    tsv = _run_tesseract([listing, "stdout", "-l", settings.lang, "--psm", psm, "tsv"], settings,
                         DEFAULT_OCR_TIMEOUT_PER_CELL * len(paths))
    by_image: dict[int, list[dict]] = {}
    for r in _tsv_rows(tsv):
        if psm == "6" and float(r.get("conf") or -1) < DEFAULT_MIN_WORD_CONF:
            continue
        by_image.setdefault(int(r["page_num"]), []).append(r)
    out = []
    for i in range(1, len(paths) + 1):
        rows = by_image.get(i, [])
        lines: dict = {}
        for r in rows:
            lines.setdefault((int(r["block_num"]), int(r["par_num"]), int(r["line_num"])), []).append(
                {"text": r["text"].strip(), "conf": max(float(r["conf"]), 0.0), "x0": int(r["left"]),
                 "x1": int(r["left"]) + int(r["width"]), "top": int(r["top"]),
                 "bottom": int(r["top"]) + int(r["height"])})
        words = [w for ws in lines.values() for w in ws]
        text = "\n".join(_join_words(ws) for _, ws in sorted(lines.items()))
        out.append(Reading(text, words_to_confidence(words)))
    return out


def reading_to_skeleton(text: str) -> str:
    """What readings of one cell must share to count as the same: the text without spaces
    and ・ (a small dot a reading drops or reads as a gap: 参事・市町村 / 参事 市町村)."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "・")


def votes_to_reading(votes: list[Reading], lexicon_share: float = DEFAULT_LEXICON_SHARE,
                     word_score=None) -> Reading:
    """The reading of a cell the votes back most, each vote weighted by its confidence.

    Votes that differ only in spaces or ・ back the same text (reading_to_skeleton); of
    those, a reading with the ・ is taken (a dot is lost far more often than invented).
    Among texts backed by at least ``lexicon_share`` of the best one's weight, the most
    word-like (``word_score``, by default the dictionary's: ocr_lexicon.text_to_plausibility)
    wins: a misread kanji rarely makes a word or a name (佐藤見 / 佐藤晃).

    Its confidence is the mean confidence of the votes for it times the share of the
    votes that agreed: a cell that three readings agree on is surer than one whose
    readings differ, however sure each single reading was.
    """
    votes = [v for v in votes if v.text or v.confidence is not None] or votes
    weight: dict[str, float] = {}
    for v in votes:
        key = reading_to_skeleton(v.text)
        weight[key] = weight.get(key, 0.0) + (v.confidence or 0.0) + 1e-6
    best = max(weight.values())
    contenders = [k for k, w in weight.items() if w >= lexicon_share * best]
    if len(contenders) > 1:
        if word_score is None:
            from pipeline.ocr_lexicon import text_to_plausibility as word_score
        key = max(contenders, key=lambda k: (word_score(k), weight[k]))
    else:
        key = contenders[0]
    agreeing = [v for v in votes if reading_to_skeleton(v.text) == key]
    forms: dict[str, float] = {}
    for v in agreeing:
        forms[v.text] = forms.get(v.text, 0.0) + (v.confidence or 0.0) + 1e-6
    text = max(forms, key=lambda t: ("・" in t, forms[t]))
    confs = [v.confidence for v in agreeing if v.confidence is not None]
    if not confs:
        return Reading(text, None)
    return Reading(text, round(sum(confs) / len(confs) * len(agreeing) / len(votes), 3))


def lines_to_reading(lines: list[Reading]) -> Reading:
    """A cell's reading from its lines': texts one per line, confidence weighted by characters;
    a range of months whose ～ was lost where the cell wraps (R5.10月11 ⏎ 月) gets it back."""
    lines = [r for r in lines if r.text]
    if not lines:
        return Reading("", None)
    scored = [(len(r.text), r.confidence) for r in lines if r.confidence is not None]
    n = sum(k for k, _ in scored)
    conf = round(sum(k * c for k, c in scored) / n, 3) if n else None
    return Reading(_LOST_RANGE.sub("～", "\n".join(r.text for r in lines)), conf)


def settings_to_passes(settings: OcrSettings) -> list[tuple[str, int, bool]]:
    """(language data, margin, from the binarized page) of each reading of a doubtful
    one-line cell.

    The first language with the first margin, on the grayscale piece and then on the
    binarized one (``binary_vote``), then the first installed second language (another
    model errs elsewhere), then the first language with the other margins.
    """
    pads = settings.vote_pads
    passes = [(settings.lang, pads[0], False)]
    if settings.binary_vote:
        passes.append((settings.lang, pads[0], True))
    second = next((lang for lang in settings.second_langs if tesseract_available(lang)), None)
    if second:
        passes.append((second, pads[0], False))
    passes.extend((settings.lang, pad, False) for pad in pads[1:])
    return passes


def cell_inks_to_readings(inks: dict, scale: float, tmp: str,
                          settings: OcrSettings = OcrSettings()) -> dict:
    """OCR each table cell on its own, in a few tesseract runs for all of them.

    A cell read alone is read far better than the same words in a full-page pass:
    tesseract gets one line (or one block) and no neighbouring columns to merge.
    Every one-line cell is read from the grayscale and from the binarized page
    (``min_votes``); one these readings leave unsure is read again (another model, other
    margins: tesseract's reading of a short line shifts with both), and the readings
    vote (votes_to_reading).

    Args:
        inks: any key → the cell's ink.

    Returns:
        key → Reading, for every key.
    """
    passes = settings_to_passes(settings)
    # the ink decides, not the cell: a tall header cell often holds one short word
    strokes = [k for k, ink in inks.items() if ink.stroke]
    read = [k for k, ink in inks.items() if not ink.stroke]
    single = [k for k in read if inks[k].image.height * scale < DEFAULT_SINGLE_LINE_PT]
    block = [k for k in read if inks[k].image.height * scale >= DEFAULT_SINGLE_LINE_PT]
    index = {k: i for i, k in enumerate(inks)}
    votes: dict = {k: [] for k in single}
    todo = single
    for n, (lang, pad, binary) in enumerate(passes):
        if not todo:
            break
        paths = []
        for k in todo:
            path = os.path.join(tmp, f"cell{index[k]:06d}-{n}.png")
            image = inks[k].binary if binary and inks[k].binary is not None else inks[k].image
            _padded(image, pad).save(path, compress_level=DEFAULT_PNG_LEVEL)
            paths.append(path)
        for k, reading in zip(todo, _tesseract_many(paths, "13", tmp, replace(settings, lang=lang))):
            votes[k].append(_clean_reading(reading))
        # only what is still doubtful is read again (after the first min_votes readings)
        if n + 1 >= settings.min_votes:
            todo = [k for k in todo if (votes_to_reading(votes[k]).confidence or 0.0) < settings.sure_conf]
    out = {k: votes_to_reading(vs) for k, vs in votes.items()}
    if settings.glyph_check:
        out.update(readings_to_glyph_checked({k: out[k] for k in single}, inks, settings))
    out.update((k, Reading("一", None)) for k in strokes)
    if block:
        paths = []
        for k in block:
            path = os.path.join(tmp, f"cell{index[k]:06d}-b.png")
            _padded(inks[k].image, passes[0][1]).save(path, compress_level=DEFAULT_PNG_LEVEL)
            paths.append(path)
        for k, reading in zip(block, _tesseract_many(paths, "6", tmp, replace(settings, lang=passes[0][0]))):
            out[k] = _clean_reading(reading)
    return out


def readings_to_glyph_checked(readings: dict, inks: dict, settings: OcrSettings = OcrSettings()) -> dict:
    """The doubtful one-line readings (below DEFAULT_GLYPH_CHECK_CONF) with the kanji their glyphs
    contradict replaced (ocr_glyph.line_to_checked): tesseract's models lack kanji that
    names use (肇, 齊) and can only misread them. Readings it leaves alone are not returned.

    Args:
        readings: key → the cell line's voted reading; keys (…, line number) that differ
            only in the line number are the lines of one cell, each the others' context.
        inks: key → the line's ink (both views are compared, when there are two).
    """
    from pipeline import ocr_glyph

    doubtful = {k: r for k, r in readings.items()
                if r.text and (r.confidence or 0.0) < DEFAULT_GLYPH_CHECK_CONF and "\n" not in r.text}
    templates = ocr_glyph.load_templates() if doubtful else None
    if templates is None:
        return {}
    readable = frozenset().union(*(lang_to_characters(lang) for lang in settings.langs))
    cells: dict = {}
    for k, r in readings.items():
        if isinstance(k, tuple) and k:
            cells.setdefault(k[:-1], []).append((k[-1], r.text))
    out = {}
    for k, r in doubtful.items():
        views = ocr_glyph.views_to_ink(inks[k].image, inks[k].binary)
        lines = sorted(cells.get(k[:-1], [])) if isinstance(k, tuple) and k else []
        context = ("".join(t for i, t in lines if i < k[-1]), "".join(t for i, t in lines if i > k[-1])) \
            if lines else ("", "")
        text, _ = ocr_glyph.line_to_checked(r.text, views, templates, readable=readable, context=context)
        text = ocr_glyph.line_to_digit_checked(text, views, templates)
        if text != r.text:
            out[k] = _clean_reading(Reading(text, r.confidence))
    return out


#: Japanese print ends a sentence with 。 and has no Latin period or quote standing at the
#: start of a line or right after kana/kanji at its end: those are specks read as marks.
_START_SPECK = re.compile(r"^[.,'`_‘’\"]+\s*(?=[^\d\s.,])"
                          # a period or comma before a number, too: print writes 0.5, never .5
                          # (.5箇所新設, .67.29%)
                          r"|^[.,]+(?=[0-9])")
_END_SPECK = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=\)))\s*[.,'`_‘’\"]+$")
# ... nor inside a line, between kana/kanji and a space (2.県. (18名) is 2.県 (18名)).
_MID_SPECK = re.compile(r"(?<=[\u3040-\u30ff\u4e00-\u9fff])[.'`‘’]+(?=[\s(（])")
# A list number (1), (2) … at a line's start: its bracket and digit read as one circled
# number (⑪) for (1)), a digit inside its brackets as a circled one ((④)), a speck before
# it as a dash, a speck after it as a colon ((3):新型…).
_LIST_NUMBER = re.compile(r"^[-‐]\s*(?=[(（][0-9①-⑨])|^(?P<circled>[⑪-⑲])[)）]|^[(（](?P<inner>[①-⑨])[)）]"
                          r"|(?<=^[(（][0-9])[)）]\s*[:：;；]\s*(?=[^\s0-9])")


# A speck read as a period or a quote after a closing bracket, before the next word
# (「ワンチームとやま」.連携推進…), ...
_BRACKET_SPECK = re.compile(r"(?<=[」』）)])\s*[.,'`‘’]+(?=[\u3040-\u30ff\u4e00-\u9fff])"
                            # ... or after a list's 、 or ・ (8/17、.10720)
                            r"|(?<=[、・])\s*[.,'`‘’]+\s*(?=\S)")
# A quotation's 「 read as 『 (『ワンチームとやま」): a double bracket is closed by 』, so a 『
# whose quotation 」 closes is a 「; a 』 right after a 」 no 『 opened is a speck.
_OPEN_MISREAD = re.compile(r"『(?=[^「」『』]*」)")
_CLOSE_SPECK = re.compile(r"(?<=」)』")
# ... and a 『 or 「 right before a 「 is a speck: print never opens a quotation twice
# (令和3年度第4回『「ワンチームとやま」…).
_OPEN_SPECK = re.compile(r"[『「](?=「)")
# The particles that end nearly every title of the genre, with a voicing mark a speck added or
# a blur took (…状況についで, 本部会議におげる, にづいて), or with the left stroke of their に lost
# after a word (本部会議こおける): in print they have none of these forms.
_PARTICLE_MISREADS = (
    # (についで ends a title; before a word it may be に次いで: 東京都についで2位)
    (re.compile(r"にづい[てで](?![\u3041-\u3096])|についで(?=$|[\s(（)）、。])"), "について"),
    (re.compile(r"におげる"), "における"),
    (re.compile(r"(?<=[\u4e00-\u9fff\u30a1-\u30ff」』）)])こ(?=おける|ついて)"), "に"),
)


# The slash of a month/day date read as 7 (2/17、4/19、977 is 9/7; 4726防災… is 4/26) where
# the line holds another date so written: the digits split at that 7 make the only month
# and day (a month 1–12, a day 1–31); a count (977件) and a number's thousands (1,272) are
# left alone.
_SLASH_DATE = re.compile(r"[0-9]{1,2}\s*/\s*[0-9]{1,2}")
#: What a count or an amount has after its number, and a date does not.
_NOT_A_DATE_AFTER = r"(?![0-9/.．]|\s*(?:[件人回名円％%個台校社団体枚本年月日時分歳頭羽匹戸棟世箇かヶカ所万千億市町村区県国局課部]|[a-zA-Z]))"
_SLASH_AS_7 = re.compile(r"(?<![0-9A-Za-z/.．,，:：\-－])(?P<digits>[0-9]{3,5})" + _NOT_A_DATE_AFTER)


def _only_month_day(splits: list[tuple[str, str]], digits: str) -> str:
    """``m/d`` when exactly one (month, day) split of ``digits`` is a date (a month 1–12, a
    day 1–31 not written with a leading 0); else the digits as read."""
    valid = [(a, b) for a, b in splits if 1 <= int(a) <= 12 and 1 <= int(b) <= 31 and not b.startswith("0")]
    return f"{valid[0][0]}/{valid[0][1]}" if len(valid) == 1 else digits


def _slash_date(m: re.Match) -> str:
    digits = m.group("digits")
    return _only_month_day([(digits[:i], digits[i + 1:]) for i in range(1, len(digits) - 1) if digits[i] == "7"],
                           digits)


# A date of a list of dates (4/28、512、8/6 or 2/17、4/19、97, or with its note: 2/19、426防災…)
# whose slash was not read at all: one split only makes a month and a day, and a list
# neighbour is a slashed date.
_DATE_LIST_ITEM = re.compile(r"([、・])")
_LOST_SLASH = re.compile(r"^\s*(?P<digits>[0-9]{2,4})" + _NOT_A_DATE_AFTER)
_ENDS_SLASHED = re.compile(r"[0-9]{1,2}\s*/\s*[0-9]{1,2}\s*$")
_STARTS_SLASHED = re.compile(r"^\s*[0-9]{1,2}\s*/\s*[0-9]{1,2}(?![0-9])")


def _lost_slash(digits: str) -> str:
    return _only_month_day([(digits[:i], digits[i:]) for i in range(1, len(digits))], digits)


def _slashes_restored(text: str) -> str:
    if not _SLASH_DATE.search(text):
        return text
    text = _SLASH_AS_7.sub(_slash_date, text)
    parts = _DATE_LIST_ITEM.split(text)
    for i in range(0, len(parts), 2):
        m = _LOST_SLASH.match(parts[i])
        if m and ((i >= 2 and _ENDS_SLASHED.search(parts[i - 2]))
                  or (i + 2 < len(parts) and _STARTS_SLASHED.match(parts[i + 2]))):
            parts[i] = parts[i][:m.start("digits")] + _lost_slash(m.group("digits")) + parts[i][m.end("digits"):]
    return "".join(parts)


def _brackets_paired(text: str) -> str:
    text = _OPEN_MISREAD.sub("「", _OPEN_SPECK.sub("", text))
    return text if "『" in text else _CLOSE_SPECK.sub("", text)


def _clean_reading(reading: Reading) -> Reading:
    text = "\n".join(_clean_line(ln) for ln in reading.text.strip().splitlines() if ln.strip())
    return Reading(text, reading.confidence)


def _list_number(m: re.Match) -> str:
    if m.group("circled"):
        return f"({ord(m.group('circled')) - ord('⑪') + 1})"
    if m.group("inner"):
        return f"({ord(m.group('inner')) - ord('①') + 1})"
    return ")" if m.group().startswith((")", "）")) else ""


def _era_date_gaps(m: re.Match) -> str:
    """An era date alone on its line with a period read as a gap: its periods back (only then)."""
    text, at = m.group(), m.start()
    gaps = (text[m.end("y") - at:m.start("m") - at], text[m.end("m") - at:m.start("d") - at])
    return f"{m['era']}{m['y']}.{m['m']}.{m['d']}" if any(not re.search(r"[.．]", g) for g in gaps) else text


def _era_date_periods(m: re.Match) -> str:
    """An era date's separators as one period each (R4:1.1 → R4.1.1, R5..1.19 → R5.1.19)."""
    return re.sub(r"[.．:：;；]+", lambda p: "．" if p.group()[0] == "．" else ".", m.group())


def _clean_line(text: str) -> str:
    """A recognized line with tesseract's usual slips in Japanese print undone: a bullet ●
    read as @ or a Latin letter, the wave dash of a range read as 一 or て, a speck at
    either end (or after a word, before a space, after a closing bracket or a list's 、) read
    as a Latin period or quote (or, after a number, as 。), the decimal point of a share read as a colon, the 末 of an
    as-of date read as 未 (and the 在 of 現在 as another kanji), the 旬 of 下旬 lost, an arrow
    between figures read as つ, a list number (1) read as ⑪) or (④), the (1 of (1月7日 read as 人
    and the 人 after a number as 入, R5 read RS and an era's year with a letter beside it (令和5S年度),
    an era date's period read as a colon or a comma, a
    date's slash read as 7 or lost (977 or 97 beside 4/19), a quotation's 「 read as 『 or opened twice, a
    term of the genre (存時会議 → 臨時会議, ocr_terms.tsv) or a unit after a number with one
    kanji misread, a katakana word with one kana confused (ズケジュール → スケジュール)
    (ocr_lexicon), について and における with a voicing mark added (についで, におげる) or the
    stroke of their に lost after a word (こおける), a date's 1 read as ] and its 日 as H (令和4年]月20H (木)),
    a bar between kana or kanji (における|協議事項)."""
    from pipeline.ocr_lexicon import line_to_katakana_repaired, line_to_terms_repaired, line_to_units_repaired

    text = _MID_SPECK.sub("", _END_SPECK.sub("", _START_SPECK.sub("", text.strip())))
    text = _brackets_paired(_BRACKET_SPECK.sub("", text))
    text = _BULLET.sub(lambda m: "" if m.group("space") else "●", text)
    text = _LIST_NUMBER.sub(_list_number, text)
    text = _ARROW.sub(" ⇒ ", _THIRD_LOST.sub(r"\g<month>\g<third>旬", _AS_OF_END.sub("末", _AS_OF_NOW.sub(r"\1在", text))))
    text = _PERSONS_MISREAD.sub("人", _PLUS_ONE.sub("1", _DIGIT_STOP.sub("", text)))
    text = _DAY_AS_H.sub("日", _MONTH_ONE.sub("1", _BAR_SPECK.sub("", text)))
    text = _REIWA_CUT.sub("令和", _REIWA_MISREAD.sub("令", text))
    text = _ERA_FY_YEAR.sub(r"\g<year>年", _ERA_YEAR_LETTER.sub(r"\g<year>", text))
    text = _ERA_FIVE.sub(lambda m: "R5" if m.group().startswith("R") else "5", _ERA_FIVE_TWICE.sub("R", text))
    text = _ERA_SPECK.sub(lambda m: m["era"] or m["era2"], text)
    text = _ERA_DATE_GAPS.sub(_era_date_gaps, _ERA_DATE.sub(_era_date_periods, text))
    text = _ERA_DAY_COMMA.sub(r"\g<month>.\g<day>", _ERA_YEAR_COMMA.sub(r"\g<year>.\g<rest>", text))
    text = _slashes_restored(_DECIMAL_COLON.sub(".", _LOST_RANGE.sub("～", _RANGE_DASH.sub("～", text))))
    for misread, particle in _PARTICLE_MISREADS:
        text = misread.sub(particle, text)
    return line_to_katakana_repaired(line_to_terms_repaired(line_to_units_repaired(text)))


def cells_to_table(cells: list[tuple], readings: dict[tuple, Reading]) -> Table:
    """Rows of cell texts (and confidences), cells grouped by their top and left edges."""
    tops = sorted({round(c[1], 0) for c in cells})
    lefts = sorted({round(c[0], 0) for c in cells})
    grid: dict[tuple[int, int], tuple] = {}
    for c in cells:
        grid[(tops.index(round(c[1], 0)), lefts.index(round(c[0], 0)))] = c
    rows, boxes, confs = [], [], []
    for r in range(len(tops)):
        row, brow, crow = [], [], []
        for k in range(len(lefts)):
            c = grid.get((r, k))
            if c is None:
                row.append(None)
                brow.append(None)
                crow.append(None)
                continue
            reading = readings.get(c, Reading("", None))
            row.append(reading.text)
            brow.append(tuple(round(v, 2) for v in c))
            crow.append(reading.confidence)
        rows.append(row)
        boxes.append(brow)
        confs.append(crow)
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    return Table((round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)), rows, boxes, confs)
