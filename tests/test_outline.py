"""The outline: sections of a document from the profile's vocabulary, found once."""
from __future__ import annotations

from pipeline.ir import Document, Line, Page, Table
from pipeline.outline import Section, document_to_outline
from pipeline.profile import get_profile


def _page(number: int, texts: list[str], tables: list[Table] | None = None) -> Page:
    lines = [Line(t, 50, 40 + 20 * i, 50 + 12 * len(t), 52 + 20 * i) for i, t in enumerate(texts)]
    return Page(number, 595, 842, "\n".join(texts), lines, tables or [], True)


def _doc(*pages: Page) -> Document:
    return Document("d", "x.pdf", "0" * 64, len(pages), list(pages))


PACKET = _doc(
    _page(1, ["本部会議 次第", "日 時：令和4年1月20日（木）", "配付資料", "資料1 連携推進項目の状況", "資料3 年間スケジュール"]),
    _page(2, ["本部会議出席者", "1. 市町村等（17名）", "富山市長 藤井 裕久"]),
    _page(3, ["本部会議 配席図"]),
    _page(4, ["連携事項名 有害鳥獣の連携捕獲 (継続)", "提案市町村: 富山市"]),
    _page(5, ["◎ R3年度の取り組み結果と今後の方向性", "【訓練関係】"]),
    _page(6, ["資料2", "令和4年度の協議事項"]),
    _page(7, ["本部 年間スケジュール（案）", "4月 第1回会議"]),
    _page(8, ["以下、参考資料", "接種率 80%"]),
)


def test_a_packet_is_cut_into_cover_attendees_materials_schedule_and_reference():
    outline = document_to_outline(PACKET, get_profile("renkei_packet"))
    top = [(s.kind, s.label, s.start, s.end) for s in outline.sections if s.kind != "item"]
    assert top == [
        ("cover", "本部会議次第", (1, 0.0), (2, 40.0)),
        ("attendees", "本部会議出席者", (2, 40.0), (3, 40.0)),
        ("other", "本部会議配席図", (3, 40.0), (4, 0.0)),  # one page: the items after it are no part of it
        ("material", "資料2", (6, 0.0), (7, 40.0)),
        ("schedule", "本部年間スケジュール（案）", (7, 40.0), (8, 40.0)),
        ("reference", "以下、参考資料", (8, 40.0), None),
    ]


def test_a_materials_list_entry_names_a_section_but_does_not_open_one():
    # 資料3 年間スケジュール on the cover is an entry of its 配付資料 list
    outline = document_to_outline(PACKET, get_profile("renkei_packet"))
    assert [s.start for s in outline.of("schedule")] == [(7, 40.0)]


def test_an_items_pages_run_from_its_heading_through_its_continuation_pages():
    outline = document_to_outline(PACKET, get_profile("renkei_packet"))
    assert [(s.item_key, s.start, s.end) for s in outline.of("item")] == [("有害鳥獣の連携捕獲", (4, 0.0), (6, 0.0))]
    assert outline.item_at(5) == "有害鳥獣の連携捕獲"
    assert outline.item_at(6) is None and outline.item_at(8) is None
    # the innermost section names a row
    assert outline.name_at(5, 100) == "item:有害鳥獣の連携捕獲"
    assert outline.name_at(2, 60) == "attendees:本部会議出席者"
    assert outline.name_at(1, 100) == "cover:本部会議次第"


def test_pages_of_a_kind_and_lines_of_a_kind():
    outline = document_to_outline(PACKET, get_profile("renkei_packet"))
    assert outline.pages_of("attendees") == [2, 3]  # ends at the top of page 3's heading
    lines = [ln.text for _, ln in outline.lines_of(PACKET, "attendees")]
    assert lines == ["本部会議出席者", "1. 市町村等（17名）", "富山市長 藤井 裕久"]


def test_a_record_opens_with_its_header_on_page_one():
    record = _doc(_page(1, ["広域連携推進特別委員会記録", "開催日時 令和3年12月17日", "出席者", "委員長 岡 田 英 君"]))
    outline = document_to_outline(record, get_profile("meeting_record"))
    assert outline.first("cover") == Section("cover", None, (1, 0.0), (1, 80.0))
    assert outline.first("attendees").start == (1, 80.0)


def test_a_document_without_any_heading_has_no_sections_but_a_record_header():
    blank = _doc(_page(1, ["売上の推移", "第3四半期"]))
    assert document_to_outline(blank, get_profile("renkei_packet")).sections == ()
    assert [s.kind for s in document_to_outline(blank, get_profile("unrecognized")).sections] == ["cover"]


def test_an_item_runs_on_under_a_running_header_and_onto_its_fate_for_next_year():
    # issue 12: a browser prints 資料1 atop every page of the material, and an office suite breaks an
    # item's section before its 取り扱い(案) / <理由>: neither closes the item before its slides
    doc = _doc(
        _page(1, ["資料1", "連携事項名 自治体行政のデジタル化 (継続協議)", "提案市町村: 射水市"]),
        _page(2, ["資料1", "項目 令和4年度の取り組み成果等 令和5年度の取り組み(案)"]),
        _page(3, ["連携推進項目としての令和5年度の取り扱い(案) ①. 協議継続", "<理由>", "引き続き推進する必要がある。"]),
        _page(4, ["<理由>", "取組を推進する必要があるため。"]),
        _page(5, ["- 5 -", "連携項目名(施策)", "マイナンバーカードの普及・利活用促進"]),
        _page(6, ["資料2", "令和5年度の協議事項"]),
    )
    outline = document_to_outline(doc, get_profile("renkei_packet"))
    assert [outline.item_at(p) for p in range(1, 7)] == ["自治体行政のデジタル化"] * 5 + [None]


def test_a_slide_title_wrapped_inside_its_bracket_names_its_item():
    # issue 12: a narrower layout wraps 「…実績と成果について (有害鳥獣の連携 ⏎ 捕獲の推進)」
    doc = _doc(
        _page(1, ["連携事項名 有害鳥獣の市町村による連携捕獲の推進 (連携推進項目での協議を終了)", "提案市町村: 富山市"]),
        _page(2, ["令和3年度連携項目の主な取り組み実績と成果について (有害鳥獣の連携", "捕獲の推進)",
                  "連携項目名(施策) クマ等による人身被害防止対策の推進"]),
        _page(3, ["令和3年度連携項目の主な取り組み実績と成果について(ゼロカーボンシ", "ティ富山の実現)", "概要"]),
    )
    outline = document_to_outline(doc, get_profile("renkei_packet"))
    assert [outline.item_at(p) for p in (1, 2, 3)] == ["有害鳥獣の市町村による連携捕獲の推進"] * 2 + ["ゼロカーボンシティ富山の実現"]


def test_issue_12_a_speck_read_as_a_bullet_before_an_item_heading_does_not_hide_it():
    # the r4 scan's page 8 reads ・連携事項名自治体行のデジタル化: without the item, its results
    # were counted to the item before it
    doc = _doc(_page(1, ["連携事項名 有害鳥獣の連携捕獲 (継続)", "提案市町村: 富山市"]),
               _page(2, ["・連携事項名 行政のデジタル化", "(継続協議)", "提案市町村: 射水市"]),
               _page(3, ["・国や他自治体の先進的な取り組みを共有"]),
               # a box's edge read as a bar (another seed's gray r4 scan, page 14)
               _page(4, ["|連携事項名 農林水産物等の輸出促進 (連携推進項目での協議を終了)", "提案市町村:富山市"]),
               # ... and a bar and a period (the 1-bit r3 scan, page 21)
               _page(5, ["| .連携事項名 観光の推進", "提案市町村:高岡市"]),
               # ... and a dash (the 1-bit r3 and r4 scans of seeds 2468 and 9753)
               _page(6, ["-連携事項名 こども施策の連携", "提案市町村:高岡市"]),
               # ... and a colon (the gray r4 scan of seed 2222)
               _page(7, [":連携事項名ゼロカーボンシティの実現", "提案市町村:魚津市"]),
               # ... and a stop and a bar (the gray r4 scan of seed 6666, page 14)
               _page(8, ["。|連携事項名農林水産物等の輸出促進", "提案市町村:富山市"]))
    outline = document_to_outline(doc, get_profile("renkei_packet"))
    assert [(s.item_key, s.start[0]) for s in outline.of("item")] == [
        ("有害鳥獣の連携捕獲", 1), ("行政のデジタル化", 2), ("農林水産物等の輸出促進", 4), ("観光の推進", 5),
        ("こども施策の連携", 6), ("ゼロカーボンシティの実現", 7), ("農林水産物等の輸出促進", 8)]
    assert outline.item_at(3) is None  # a bulleted line of text is no heading


def test_issue_12_a_slide_title_above_its_overview_continues_the_item():
    # a topic's slide: its own title first, then 概要 (on a scan its 連携項目名 label, printed
    # white on a dark band, is not read)
    doc = _doc(_page(1, ["連携事項名 行政のデジタル化", "提案市町村: 射水市"]),
               _page(2, ["カードを活用した手続のオンライン化", "概要", "子育て・介護26手続き"]),
               _page(3, ["概要", "職員研修の開催（県・15市町村）"]),
               _page(4, ["本部会議 配席図"]))
    outline = document_to_outline(doc, get_profile("renkei_packet"))
    assert [(s.item_key, s.start[0], s.end[0]) for s in outline.of("item")] == [("行政のデジタル化", 1, 4)]


def test_issue_12_a_scanned_heading_with_one_kanji_misread_still_opens_its_section():
    from dataclasses import replace

    ocr = [replace(p, source="ocr", has_text_layer=False) for p in PACKET.pages]
    ocr[2] = replace(ocr[2], lines=[replace(ocr[2].lines[0], text="本部会議 配庶図")])  # 席 read as 庶
    ocr[1] = replace(ocr[1], lines=[*ocr[1].lines, Line("出席率 80%", 50, 120, 200, 132)])  # a word: no heading
    outline = document_to_outline(replace(PACKET, pages=ocr), get_profile("renkei_packet"))
    top = [(s.kind, s.label, s.start) for s in outline.sections if s.kind in ("attendees", "other")]
    assert top == [("attendees", "本部会議出席者", (2, 40.0)), ("other", "本部会議配庶図", (3, 40.0))]
    # a text layer's words are what is printed: no misread is looked for there
    text = replace(PACKET, pages=[*PACKET.pages[:2], replace(PACKET.pages[2], lines=ocr[2].lines), *PACKET.pages[3:]])
    assert [s.kind for s in document_to_outline(text, get_profile("renkei_packet")).sections
            if s.kind == "other"] == []


def test_issue_12_an_attendee_list_whose_next_heading_was_misread_ends_at_the_first_item():
    # a scan read 配席図 as 配具較: nothing opened after the list, which ran on over the WG table
    # and the items' pages, and their tables were read as attendees
    pages = list(PACKET.pages)
    pages[2] = _page(3, ["本部会議 配具較"])
    outline = document_to_outline(_doc(*pages), get_profile("renkei_packet"))
    (attendees,) = outline.of("attendees")
    assert (attendees.start, attendees.end) == ((2, 40.0), (4, 0.0))
    assert outline.first("item").start == (4, 0.0)
    # the cover ends at the list, as before; a list that the next heading ends is left alone
    assert outline.first("cover").end == (2, 40.0)
    assert document_to_outline(PACKET, get_profile("renkei_packet")).first("attendees").end == (3, 40.0)
