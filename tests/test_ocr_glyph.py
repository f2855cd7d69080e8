"""The glyph check of doubtful OCR'd lines (pipeline.ocr_glyph).

The line images in tests/fixtures/glyphs were cut by the OCR step from the 出席者 pages
of the scans in tests/fixtures/scans (both views of each line: the grayscale piece and
the binarized one), with what tesseract's votes read and what is printed.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline import ocr, ocr_glyph

GLYPHS = Path(__file__).resolve().parent / "fixtures" / "glyphs"
NEED_OCR = os.environ.get("REQUIRE_OCR") == "1"


def cases() -> list[dict]:
    with open(GLYPHS / "cases.tsv", encoding="utf-8") as fh:
        rows = [ln for ln in fh if not ln.startswith("#")]
    return [dict(zip(("case", "read", "checked", "scan"), r)) for r in csv.reader(rows, delimiter="\t")]


def views(case: str) -> list[np.ndarray]:
    binary = GLYPHS / f"{case}_binary.png"
    return ocr_glyph.views_to_ink(Image.open(GLYPHS / f"{case}_gray.png"),
                                  Image.open(binary) if binary.exists() else None)


def require(found, what: str = "no Japanese typeface is installed"):
    """``found``, or a failure under REQUIRE_OCR=1 (CI), else a skip that says why."""
    if not found:
        if NEED_OCR:
            pytest.fail(f"REQUIRE_OCR=1 but {what} (make ocr-deps)")
        pytest.skip(f"{what}: fonts-ipaexfont / fonts-noto-cjk (make ocr-deps)")
    return found


@pytest.fixture(scope="module")
def templates():
    return require(ocr_glyph.load_templates())


@pytest.fixture(scope="module")
def readable():
    """What the OCR step's models can put out (the check is told, as the OCR step tells it)."""
    return require(frozenset().union(*(ocr.lang_to_characters(lang) for lang in ocr.OcrSettings().langs)),
                   "tesseract's jpn data is not installed")


# --- pure steps on drawn ink --------------------------------------------------------------------


def test_office_kanji_holds_name_kanji_and_no_compatibility_duplicates():
    kanji = ocr_glyph.office_kanji()
    assert {"肇", "齊", "斉", "齋", "椿", "﨑", "髙"} <= set(kanji)
    assert "\uf929" not in kanji  # 朗 as a compatibility ideograph: NFKC makes it U+6717
    assert "あ" not in kanji and "ー" not in kanji
    assert 8000 < len(kanji) < 9000


def test_glyph_boxes_group_the_runs_of_a_kanji_into_one_em():
    ink = np.zeros((40, 200), bool)
    ink[2:38, 0:10] = ink[2:38, 16:22] = ink[2:38, 30:38] = True  # 川: three strokes, one em
    ink[2:38, 44:82] = True  # a solid glyph
    ink[18:22, 90:128] = True  # 一: flat, one em wide
    assert ocr_glyph.ink_to_glyph_boxes(ink, 3, 36) == [(0, 38), (44, 82), (90, 128)]
    # five runs cannot be four glyphs no wider than 1.2 em without splitting 川 badly ...
    assert ocr_glyph.ink_to_glyph_boxes(ink, 5, 36) == [(0, 10), (16, 22), (30, 38), (44, 82), (90, 128)]
    # ... and a line cannot have more glyphs than runs, nor a glyph two ems wide
    assert ocr_glyph.ink_to_glyph_boxes(ink, 6, 36) is None
    assert ocr_glyph.ink_to_glyph_boxes(ink, 2, 36) is None


def test_specks_are_not_ink_and_do_not_stretch_the_em():
    ink = np.zeros((60, 100), bool)
    ink[10:50, 5:45] = True
    ink[0:3, 60:63] = True  # a speck above the line
    ink[57:60, 80:82] = True  # and one below
    clean, em = ocr_glyph.ink_to_despeckled(ink)
    assert em == 40
    assert clean.sum() == 1600 and not clean[0:3, 60:63].any()


def test_a_narrow_blot_far_beyond_the_line_is_no_glyph_of_it():
    ink = np.zeros((50, 400), bool)
    for x in (0, 45, 90):
        ink[5:45, x:x + 40] = True  # three glyphs, one em (40) each
    ink[0:10, 380:387] = True  # a piece of the cell's border, eight ems to the right
    clean, em = ocr_glyph.ink_to_despeckled(ink)
    assert em == 40 and not clean[:, 380:].any()
    assert ocr_glyph.ink_to_glyph_boxes(clean, 3, em) == [(0, 40), (45, 85), (90, 130)]
    # a glyph as far away is kept: it is as wide as a glyph
    ink[5:45, 350:390] = True
    assert ocr_glyph.ink_to_despeckled(ink)[0][:, 350:390].any()


def test_only_full_width_print_is_cut_by_the_em():
    assert ocr_glyph.is_full_width("出来田 肇")
    assert ocr_glyph.is_full_width("理事・ワンチームとやま推進室長")
    assert not ocr_glyph.is_full_width("R4.5月中")
    assert not ocr_glyph.is_full_width("令和4年1月")


# --- the fixture lines --------------------------------------------------------------------------


def test_doubtful_lines_get_what_is_printed(templates, readable):
    fixed = [c for c in cases() if c["read"] != c["checked"]]
    # one by a narrow margin that makes a surname (武限 → 武隈), one by a narrow margin to a
    # kanji tesseract cannot put out (齋 → 齊); six by kanji that fit alike, only fairly or
    # by a slim margin, chosen by the words they make (入善町長, 堀口正, 土木部長 twice, 検討,
    # 氷見市長); one by a kanji in its old form, the word's as printed (出沒)
    assert len(fixed) == 22
    for c in fixed:
        text, changed = ocr_glyph.line_to_checked(c["read"], views(c["case"]), templates, readable=readable)
        assert text == c["checked"], c
        assert changed and all(a != b for a, b in changed)


def test_a_wrapped_kanji_keeps_the_name_its_cell_makes(templates, readable):
    # 岡本達 ⏎ 也 on the gray r4 scan of seed 1357: the wrapped 也's broken glyph fits 皀 far
    # better (0.75 against 0.29), and alone the line is no word either way; read with the
    # line above it, 也 makes the name and 皀 breaks it
    assert ocr_glyph.line_to_checked("也", views("seed1357_ya"), templates, readable=readable) == ("皀", [("也", "皀")])
    assert ocr_glyph.line_to_checked("也", views("seed1357_ya"), templates, readable=readable,
                                     context=("岡本達", "")) == ("也", [])


def test_a_dropped_dot_is_put_back_and_a_speck_read_as_kana_left_out(templates):
    assert ocr_glyph.line_to_checked("参事市町村支援課長", views("r3_050_0"), templates) == (
        "参事・市町村支援課長", [("", "・")])
    assert ocr_glyph.line_to_checked("理事・ワソンチームとやま推進室長", views("r3_049_0"), templates) == (
        "理事・ワンチームとやま推進室長", [("ソ", "")])


def test_lines_read_right_are_left_as_read(templates, readable):
    """Among them a bold header (its glyphs fit no installed face: the read kanji do not
    vouch for the check), a line the em cuts off by one (県と市町村 would become 県と町村村),
    a replacement that breaks a word (連携 → 連遧) and a line with a 。 as small as a speck
    (its glyphs cannot be counted: の would be left out); and glyphs that several kanji fit
    alike, none of which makes the line likelier words (県単 is not made 眞単, 局 not 喬, and
    a blotted 室 that six kanji fit says nothing)."""
    kept = [c for c in cases() if c["read"] == c["checked"]]
    assert len(kept) == 25
    for c in kept:
        assert ocr_glyph.line_to_checked(c["read"], views(c["case"]), templates, readable=readable) == (c["read"], []), c


def test_a_speck_stuck_to_a_glyph_is_trimmed_off_before_it_is_matched(templates, readable):
    """The gray r3 scan of seed 3535 (p.2): a blot touching 田's left stroke widened its box,
    and 田 scaled by that box fit 川 (0.83) far better than 田 (0.42): 田中 was made 川中.
    The same blot beside 智 made 利川知 into 利川賣. Matched with its edges trimmed as well,
    the glyph fits 田 (0.92) and 智."""
    assert ocr_glyph.line_to_checked("田中 幹夫", views("seed3535_tanaka"), templates, readable=readable) == (
        "田中 幹夫", [])
    assert ocr_glyph.line_to_checked("利川知", views("seed3535_toshikawa"), templates, readable=readable) == (
        "利川智", [("知", "智")])
    # ... but a glyph whose strokes' tips the trimming would take is matched as cut: 市 trimmed
    # of its dot and its tail fits 田 (the 1-bit r4 scan of seed 555: 魚津市長 became 魚津田長)
    assert ocr_glyph.line_to_checked("魚津市長", views("seed555_uozu"), templates, readable=readable) == (
        "魚津市長", [])


def test_edge_trimming_cuts_thin_ink_at_a_glyphs_side_only():
    glyph = np.zeros((40, 44), bool)
    glyph[2:38, 8:12] = glyph[2:38, 36:40] = True  # two strokes ...
    glyph[2:4, 8:40] = glyph[36:38, 8:40] = True   # ... boxed
    glyph[20:23, 3:8] = True                        # a blot stuck to its left side
    trimmed = ocr_glyph.ink_to_edge_trimmed(glyph, em=40)
    assert trimmed.shape == (36, 32) and trimmed[:, 0].all()
    # no deeper than DEFAULT_MAX_EDGE_EMS (6 px here) on any side
    wide = glyph.copy()
    wide[20:22, 0:3] = True  # the blot trails a thin tail 8 px long
    assert ocr_glyph.ink_to_edge_trimmed(wide, em=40).shape == (36, 34)
    # trimming that would take the tips of strokes (more than DEFAULT_MAX_TRIMMED_SHARE of the
    # ink) leaves the glyph as it was: 十 stays 十
    cross = np.zeros((40, 40), bool)
    cross[0:40, 18:22] = cross[18:22, 0:40] = True
    assert ocr_glyph.ink_to_edge_trimmed(cross, em=40).shape == (40, 40)
    # a glyph of thin strokes only (一) keeps them all
    one = np.zeros((10, 40), bool)
    one[4:6, :] = True
    assert ocr_glyph.ink_to_edge_trimmed(one, em=40).shape == (2, 40)


def test_the_shortlist_at_half_the_side_holds_the_kanji_drawn(templates):
    """A trimmed glyph is matched with the kanji it fits best at half the side only: a kanji
    drawn in an installed face is among its own 64."""
    faces = ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES)
    for ch in "田智市幹":
        vector = ocr_glyph.ink_to_vector(ocr_glyph.text_to_ink(ch, faces[0]))
        short = templates.kanji_shortlist(vector, ocr_glyph.DEFAULT_TRIMMED_SHORTLIST)
        assert len(short) == 64 and templates.index[ch] in short
    coarse = ocr_glyph.vectors_to_coarse(np.eye(1, 576, 0, dtype=np.float32) + 1.0)
    assert coarse.shape == (1, 144) and abs(float(np.linalg.norm(coarse)) - 1.0) < 1e-5


def test_a_narrow_margin_to_a_kanji_the_engine_has_is_not_enough(templates, readable):
    """齊 fits the glyph read 齋 by 0.149: enough only because tesseract cannot put out 齊."""
    assert "齊" not in readable and "齋" in readable
    assert ocr_glyph.line_to_checked("田中齋", views("seed555_tanaka"), templates) == ("田中齋", [])
    assert ocr_glyph.line_to_checked("田中齋", views("seed555_tanaka"), templates, readable=readable) == (
        "田中齊", [("齋", "齊")])


def test_the_rest_of_the_cell_tells_which_kanji_makes_the_name(templates):
    """A gray r4 scan of another seed: 新田 八 ⏎ 朗, its 八 read 敗 (八 fits by 0.644 only).
    新田八 alone is no likelier than 新田敗; with the 朗 below it, 八朗 is a given name."""
    v = views("seed2718_nitta")
    assert ocr_glyph.line_to_checked("新田敗", v, templates) == ("新田敗", [])
    assert ocr_glyph.line_to_checked("新田敗", v, templates, context=("", "朗")) == ("新田八", [("敗", "八")])


def test_spaces_stay_where_they_were_read(templates):
    text, changed = ocr_glyph.line_to_checked("出来田 貢", views("r3_060_0"), templates)
    assert text == "出来田 肇" and changed == [("貢", "肇")]
    # a speck read as a Latin mark between kanji is no glyph: checked as the gap it stands in,
    # and left as read when nothing changes
    assert ocr_glyph.line_to_checked("出来田.貢", views("r3_060_0"), templates) == ("出来田 肇", [("貢", "肇")])
    assert ocr_glyph.line_to_checked("村椿.晃", views("r3_020_0"), templates) == ("村椿.晃", [])


def test_a_reading_whose_characters_do_not_match_the_glyphs_is_left_alone(templates):
    # one character too many: the glyphs cannot be matched one to one
    assert ocr_glyph.line_to_checked("出来田貢貢", views("r3_060_0"), templates) == ("出来田貢貢", [])
    # numbers are half-width: the em does not cut them
    assert ocr_glyph.line_to_checked("R4.5月中", views("r3_060_0"), templates) == ("R4.5月中", [])


def test_a_date_range_whose_last_number_was_read_as_kana_gets_the_digit_its_glyph_fits(templates):
    """The schedule of the r4 scan (p.20): 5月～6月 with the top of its 6 broken, read 5月へる月."""
    v = views("r4p20_schedule")
    assert ocr_glyph.line_to_digit_checked("R5.5月へる月", v, templates) == "R5.5月へ6月"
    # a number read as a number is left alone, and so is a line that ends in no range
    assert ocr_glyph.line_to_digit_checked("R5.5月へ6月", v, templates) == "R5.5月へ6月"
    assert ocr_glyph.line_to_digit_checked("出来田貢", views("r3_060_0"), templates) == "出来田貢"


def test_a_share_whose_percent_sign_was_read_as_96_is_told_by_the_width_of_its_ink():
    """Words of the r4 scan's page pass (p.11, R4.1.1時点 41.7% ⇒ R4.12末時点 59.1%)."""
    faces = require(ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES))

    def ink(name):
        return np.asarray(Image.open(GLYPHS / f"r4p11_share{name}_binary.png").convert("L")) < 128

    assert ocr_glyph.word_to_share_checked("41.796", ink("41"), faces) == "41.7%"
    assert ocr_glyph.word_to_share_checked("59.19%", ink("59"), faces) == "59.1%"
    # ... or as 9%% (the gray r4 scan of seed 3434 reads the same share so)
    assert ocr_glyph.word_to_share_checked("59.19%%", ink("59"), faces) == "59.1%"
    # a share printed with two decimals is as wide as it was read: it stays
    from PIL import ImageFont

    mask = ImageFont.truetype(*faces[-1][:1], 40, index=faces[-1][1]).getmask("41.79%", mode="L")
    printed = np.asarray(Image.frombytes("L", mask.size, bytes(mask))) > 128
    assert ocr_glyph.word_to_share_checked("41.79%", np.pad(printed, 4), faces) == "41.79%"
    # no decimal: 1996 is as often a year
    assert ocr_glyph.word_to_share_checked("1996", ink("41"), faces) == "1996"


def test_a_share_whose_percent_sign_was_read_as_a_digit_is_told_by_its_last_glyph():
    """Words of another seed's r4 scan (p.11): 41.7% read as 41.79, 59.1% as 59.196. Their
    ink is no narrower than the reading's would be; their last glyph is a ％ all the same."""
    faces = require(ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES))

    def ink(name):
        return np.asarray(Image.open(GLYPHS / f"seed555p11_share{name}_binary.png").convert("L")) < 128

    assert ocr_glyph.word_to_share_checked("41.79", ink("41"), faces) == "41.7%"
    assert ocr_glyph.word_to_share_checked("59.196", ink("59"), faces) == "59.1%"
    assert ocr_glyph.word_to_share_checked("59.106", ink("59"), faces) == "59.1%"  # another seed: ％ read 06
    # a number printed with two decimals ends in its digit: it stays
    from PIL import ImageFont

    def drawn(text):
        mask = ImageFont.truetype(*faces[-1][:1], 40, index=faces[-1][1]).getmask(text, mode="L")
        return np.pad(np.asarray(Image.frombytes("L", mask.size, bytes(mask))) > 128, 4)

    for printed_text in ("41.79", "12.96"):
        assert ocr_glyph.word_to_share_checked(printed_text, drawn(printed_text), faces) == printed_text
    # a share glued to the word before it keeps that word
    assert ocr_glyph.word_to_share_checked("時点:41.796", drawn("時点:41.7%"), faces) == "時点:41.7%"


def test_a_share_read_with_a_speck_before_it_or_a_bracket_after_it_is_mended():
    """Words of the page pass of seed 1313's r3 scan (p.18): 22.7% read .22.79% (a speck taken
    for a point), 41.7%( read 41.796( (the bracket glued on)."""
    faces = require(ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES))

    def ink(name):
        return np.asarray(Image.open(GLYPHS / f"seed1313p18_share{name}_binary.png").convert("L")) < 128

    assert ocr_glyph.word_to_share_checked(".22.79%", ink("22"), faces) == "22.7%"
    assert ocr_glyph.word_to_share_checked("41.796(", ink("41"), faces) == "41.7%("
    # ... and the 7 of 41.7% run into its ％ (one run of ink): 41.796 fits Noto Serif fairly
    # (7%), the share better in every face (1-bit r4 scan of seed 6868, p.11)
    seed6868 = np.asarray(Image.open(GLYPHS / "seed6868p11_share41_binary.png").convert("L")) < 128
    assert ocr_glyph.word_to_share_checked("41.796", seed6868, faces) == "41.7%"
    # ... and its ring read as a digit more (lid-model 1-bit r4 scan of seed 22, p.11)
    lid22 = np.asarray(Image.open(GLYPHS / "lid22p11_share41_binary.png").convert("L")) < 128
    assert ocr_glyph.word_to_share_checked("41.79%6", lid22, faces) == "41.7%"
    # a number printed with two decimals before a bracket ends in its digit all the same
    from PIL import ImageFont

    def drawn(text):
        mask = ImageFont.truetype(*faces[-1][:1], 40, index=faces[-1][1]).getmask(text, mode="L")
        return np.pad(np.asarray(Image.frombytes("L", mask.size, bytes(mask))) > 128, 4)

    for printed_text in ("41.79(", "12.96("):
        assert ocr_glyph.word_to_share_checked(printed_text, drawn(printed_text), faces) == printed_text


def test_a_share_read_as_two_words_is_mended_in_the_last_one(tmp_path):
    """The page pass of another seed's r3 scan (p.18): 22. 7% read as the words 22. and 796."""
    require(ocr_glyph.installed_faces(ocr_glyph.DEFAULT_GLYPH_FAMILIES))
    scale = 72 / 300  # the crop's pixels are the page's at 300 dpi; words are in points
    png = tmp_path / "page.png"
    Image.open(GLYPHS / "r3p18_share22_binary.png").save(png)

    def w(text, x0, x1):
        return {"text": text, "conf": 80.0, "x0": x0 * scale, "x1": x1 * scale, "top": 10 * scale,
                "bottom": 42 * scale, "line": ("1", "1", "1")}

    words = [w("22.", 20, 71), w("796", 84, 140), w("(全国27位)", 150, 160)]
    assert [x["text"] for x in ocr.words_to_share_checked(words, str(png), scale)] == ["22.", "7%", "(全国27位)"]
    # words of two lines are never one share
    apart = [words[0], dict(words[1], line=("1", "1", "2"))]
    assert [x["text"] for x in ocr.words_to_share_checked(apart, str(png), scale)] == ["22.", "796"]


def test_templates_are_drawn_once_and_read_back_from_the_cache(tmp_path):
    settings = ocr_glyph.GlyphSettings(families=("IPAexGothic",), cache_dir=str(tmp_path))
    drawn = require(ocr_glyph.load_templates.__wrapped__(settings), "IPAexGothic is not installed")
    cached = list((tmp_path / "onetoyama-pipeline").glob("glyphs-*.npy"))
    assert len(cached) == 1
    again = ocr_glyph.load_templates.__wrapped__(settings)
    assert again.chars == drawn.chars
    assert np.allclose(again.vectors, drawn.vectors, atol=2e-3)  # kept as float16
    # a cache of another shape (a broken or older file) is drawn anew and replaced
    np.save(cached[0], np.zeros((1, 2, 3), np.float16))
    redrawn = ocr_glyph.load_templates.__wrapped__(settings)
    assert redrawn.vectors.shape == drawn.vectors.shape
    assert np.load(cached[0]).shape == drawn.vectors.shape


def test_the_ocr_step_checks_doubtful_lines_only(templates):
    def ink(case):
        binary = GLYPHS / f"{case}_binary.png"
        gray = Image.open(GLYPHS / f"{case}_gray.png")
        return ocr.CellInk(gray, (0, 0, gray.width, gray.height), Image.open(binary) if binary.exists() else None)

    inks = {"sure": ink("r3_060_0"), "doubtful": ink("r3_060_0"), "multi": ink("r3_060_0")}
    readings = {"sure": ocr.Reading("出来田 貢", 0.97), "doubtful": ocr.Reading("出来田 貢", 0.35),
                "multi": ocr.Reading("出来田\n貢", 0.35)}
    assert ocr.readings_to_glyph_checked(readings, inks) == {"doubtful": ocr.Reading("出来田 肇", 0.35)}
