"""The 次第 parser on hand-built pages: the layouts OCR and other offices produce."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from pipeline.ir import Document, Line, Page
from pipeline.parse_cover import document_to_cover


def page(number: int, lines: list[tuple[float, str]]) -> Page:
    out = [Line(text, x0, 50 + 18 * i, x0 + 10 * len(text), 60 + 18 * i) for i, (x0, text) in enumerate(lines)]
    return Page(number, 595, 842, "\n".join(t for _, t in lines), out, [], True)


def doc(*pages: Page) -> Document:
    return Document("d", "x.pdf", "0" * 64, len(pages), list(pages))


OCR_COVER = page(1, [
    (147, "「ワンチームとやま」 連携推進本部会議次第"),
    (300, "日 時: 令和4年1月20日(木)"),
    (299, "午後3時～4時30分"),
    (298, "場所: 県民会館8階ホール"),
    (72, "1開会"), (72, "3議事"),
    (109, "(1)令和3年度連携推進 項目について"),
    (109, "(3③)新型コロナウイルス対策について (報告)"),  # a garbled mark
    (109, "県、市町村の行政課題等について"),            # a lost mark, at the entries' indent
    (125, "（続き）"),                                 # wrapped: right of the entries
    (72, "4閉会"),                                     # no separator after the number
])
OCR_SEATING = page(3, [(100, "令和3年度第4 回「ワンチームとやま」 連携推進本部会議配席図")])


def test_ocr_garbled_agenda_marks_and_steps():
    res, fields, meeting = document_to_cover(doc(OCR_COVER))
    assert [r["title"] for r in res.tables["agenda_items"]] == [
        "令和3年度連携推進 項目について", "新型コロナウイルス対策について (報告)", "県、市町村の行政課題等について（続き）"]
    assert (fields["held_on"], fields["starts_at"], fields["ends_at"]) == (date(2022, 1, 20), time(15), time(16, 30))
    assert meeting.fiscal_year == 2021


def test_title_found_elsewhere_despite_stray_spaces():
    _, fields, _ = document_to_cover(doc(OCR_COVER, page(2, [(80, "出席者")]), OCR_SEATING))
    assert (fields["title"], fields["session_no"], fields["fiscal_year"]) == (
        "令和3年度第4回「ワンチームとやま」連携推進本部会議", 4, 2021)
    assert fields["meeting_body"] == "「ワンチームとやま」連携推進本部会議"


def test_no_cover_is_a_warning_not_an_error():
    res, fields, meeting = document_to_cover(doc(page(1, [(80, "資料1 取り組み状況")])))
    assert [w.message for w in res.warnings] == [
        "no 次第 (agenda) page found: meeting date, venue and agenda are empty"]
    assert meeting.held_on is None


def test_cover_parser_keeps_its_own_warnings_now_the_header_is_read_elsewhere():
    # the interim header parser carried the cover's warnings; the cover parser dropped them
    from pipeline.outline import document_to_outline
    from pipeline.parse_cover import cover_parser
    from pipeline.profile import get_profile
    from pipeline.rows import Context

    d = doc(page(1, [(80, "資料1 取り組み状況")]))
    prof = get_profile("renkei_packet")
    res = cover_parser(d, Context(prof, document_to_outline(d, prof)))
    assert [w.message for w in res.warnings] == [
        "no 次第 (agenda) page found: meeting date, venue and agenda are empty"]
    assert res.fields == {}


def test_a_direct_caller_reads_the_cover_its_outline_finds():
    # the outline is the one way to the cover: here on page 2, its heading below a long front matter
    from pipeline.outline import document_to_outline
    from pipeline.parse_cover import document_to_cover_rows
    from pipeline.profile import get_profile

    front = page(1, [(80, "送付状")])
    cover = page(2, [*[(80, f"お知らせ{i}") for i in range(9)], (147, "連携推進本部会議次第"),
                     (72, "1 開会"), (72, "2 議事"), (109, "(1) 連携項目について"), (72, "3 閉会"),
                     (72, "配付資料"), (90, "資料1 連携項目一覧")])
    d = doc(front, cover)
    prof = get_profile("renkei_packet")
    res = document_to_cover_rows(d, document_to_outline(d, prof), prof)
    assert [(r["title"], r["page"]) for r in res.tables["agenda_items"]] == [("連携項目について", 2)]
    assert [(r["label"], r["title"]) for r in res.tables["materials"]] == [("資料1", "連携項目一覧")]
    assert res.warnings == []


def materials_page(entries: list[str], source: str = "ocr") -> Page:
    cover = page(1, [(147, "○○連携推進本部会議 次第"), (300, "日 時: 令和6年1月18日(木)"), (72, "配付資料"),
                     *((72, e) for e in entries)])
    return replace(cover, source=source, has_text_layer=source != "ocr")


def test_ocr_material_label_that_lost_its_number_is_numbered_from_its_neighbours():
    # (and a speck read as a dash between 資料4 and its title is dropped)
    # a narrow 1 between two glyphs is not read at all (or read as a space): 資料 令和… (the
    # first, before 資料2) and 資料別の… (between 資料2 and 資料4) get theirs; 参考資料 counts on
    # its own
    res, _, _ = document_to_cover(doc(materials_page([
        "資料 令和5年度の取り組み状況について", "資料2 協議事項について", "資料別の案件について",
        "資料4-年間スケジュール", "参考資料研修について", "参考資料2 会員登録について（地方創生局）"])))
    assert [(r["label"], r["title"]) for r in res.tables["materials"]] == [
        ("資料1", "令和5年度の取り組み状況について"), ("資料2", "協議事項について"), ("資料3", "別の案件について"),
        ("資料4", "年間スケジュール"), ("参考資料1", "研修について"), ("参考資料2", "会員登録について")]


def test_material_label_without_a_number_is_not_guessed():
    # after 資料2 with 資料5 below, the lost number may be 3 or 4: the entry is left out; a text
    # layer's 資料 run into its title is what was printed, and is not an entry either
    res, _, _ = document_to_cover(doc(materials_page(["資料2 協議事項について", "資料別の案件について",
                                                      "資料5 年間スケジュールの案（事務局）"])))
    assert [r["label"] for r in res.tables["materials"]] == ["資料2", "資料5"]
    res, _, _ = document_to_cover(doc(materials_page(["資料令和5年度について", "資料2 協議事項について"], "text")))
    assert [r["label"] for r in res.tables["materials"]] == ["資料2"]


def test_ocr_agenda_note_that_lost_its_opening_bracket_gets_it_back():
    lines = [(147, "「ワンチームとやま」 連携推進本部会議次第"), (300, "日 時: 令和4年1月20日(木)"), (72, "3議事"),
             (109, "(1)新型コロナウイルス対策について報告)"), (109, "(2)令和5年度計画案)"), (72, "4閉会")]
    scanned = replace(page(1, lines), source="ocr", has_text_layer=False)
    res, _, _ = document_to_cover(doc(scanned))
    # the note is the kanji after the last kana; with no kana before them, nothing tells where it starts
    assert [r["title"] for r in res.tables["agenda_items"]] == ["新型コロナウイルス対策について(報告)", "令和5年度計画案)"]
    # a text layer prints what it prints
    res, _, _ = document_to_cover(doc(page(1, lines)))
    assert res.tables["agenda_items"][0]["title"] == "新型コロナウイルス対策について報告)"


def test_issue_12_ocr_agenda_note_that_lost_its_closing_bracket_gets_it_back():
    lines = [(147, "「ワンチームとやま」 連携推進本部会議次第"), (300, "日 時: 令和4年1月20日(木)"), (72, "3議事"),
             (109, "(1)新型コロナウイルス対策について(報告"), (109, "(2)令和5年度(計画案"), (72, "4閉会")]
    scanned = replace(page(1, lines), source="ocr", has_text_layer=False)
    res, _, _ = document_to_cover(doc(scanned))
    assert [r["title"] for r in res.tables["agenda_items"]] == ["新型コロナウイルス対策について(報告)", "令和5年度(計画案"]
    res, _, _ = document_to_cover(doc(page(1, lines)))
    assert res.tables["agenda_items"][0]["title"] == "新型コロナウイルス対策について(報告"


def test_issue_12_an_agenda_whose_heading_a_scan_lost_is_read_from_its_entries():
    lines = [(147, "「ワンチームとやま」 連携推進本部会議次第"), (300, "日 時: 令和4年1月20日(木)"), (72, "1開会"),
             (72, "2知事あいさつ"), (109, "(1)令和3年度連携推進項目について"), (109, "(2)その他"), (72, "4閉会"),
             (43, "配付資料"), (78, "資料1 令和3年度連携推進項目の取り組み状況について")]
    res, _, _ = document_to_cover(doc(replace(page(1, lines), source="ocr", has_text_layer=False)))
    assert [r["title"] for r in res.tables["agenda_items"]] == ["令和3年度連携推進項目について", "その他"]
    assert [w.message for w in res.warnings if "議事 heading" in w.message] == [
        "次第 has no 議事 heading: the entries from '(1)令和3年度連携推進項目について' are taken as its agenda"]
    # a cover with its heading reads as before, and a lone (1) under a step opens nothing
    with_head = lines[:4] + [(72, "3議事")] + lines[4:]
    res, _, _ = document_to_cover(doc(page(1, with_head)))
    assert [r["title"] for r in res.tables["agenda_items"]] == ["令和3年度連携推進項目について", "その他"]
    assert not [w for w in res.warnings if "議事" in w.message]
    res, _, _ = document_to_cover(doc(page(1, lines[:5] + lines[6:])))
    assert res.tables["agenda_items"] == []


def test_ocr_bare_label_is_kept_bare_when_no_neighbour_numbers_it():
    # 参考資料 printed with no number and none beside it numbered: kept as printed, not dropped
    res, _, _ = document_to_cover(doc(materials_page(["資料1 協議事項について", "参考資料 研修について"])))
    assert [(r["label"], r["title"]) for r in res.tables["materials"]] == [
        ("資料1", "協議事項について"), ("参考資料", "研修について")]


def test_issue_12_a_speck_between_the_kanji_of_a_spaced_heading_hides_no_agenda():
    # the cover of the 1-bit r4 scan of seed 5926 reads 3 議 事 as 3議.事
    lines = [(l[0], "3議.事") if l[1] == "3議事" else l for l in [
        (147, "「ワンチームとやま」 連携推進本部会議次第"), (300, "日 時: 令和4年1月20日(木)"), (72, "1開会"), (72, "3議事"),
        (109, "(1)令和3年度連携推進 項目について"), (109, "(2)その他"), (72, "4閉会")]]
    res, _, _ = document_to_cover(doc(page(1, lines)))
    assert [r["title"] for r in res.tables["agenda_items"]] == ["令和3年度連携推進 項目について", "その他"]


def test_issue_12_specks_beside_the_agenda_heading_marks_and_departments():
    # the gray r3 scan of seed 3333 reads 3 議事 as 3議事 、; seed 7070's, (2) 令和4年度… as
    # (2)-令和4年度…; both read （地方創生局） with a colon after it
    cover = page(1, [
        (147, "「ワンチームとやま」 連携推進本部会議次第"), (72, "1開会"), (72, "3議事 、"),
        (109, "(1)令和3年度連携推進項目について"), (109, "(2)-令和4年度における協議事項について"), (72, "4閉会"),
        (72, "配付資料"), (72, "資料1】令和4年度の取り組み状況について"), (72, "参考資料1 会員登録について(地方創生局):")])
    res, _, _ = document_to_cover(doc(replace(cover, source="ocr", has_text_layer=False)))
    assert [r["title"] for r in res.tables["agenda_items"]] == [
        "令和3年度連携推進項目について", "令和4年度における協議事項について"]
    # ... and the 1-bit r4 scan of seed 4444 reads a speck after 資料1 as 】
    assert [(r["label"], r["title"], r["department"]) for r in res.tables["materials"]] == [
        ("資料1", "令和4年度の取り組み状況について", None), ("参考資料1", "会員登録について", "地方創生局")]


def test_issue_12_a_dash_after_the_agenda_heading_and_specks_around_material_labels():
    # the gray r3 scan of seed 4949 reads 3 議事 as 3議事 -, the 1 of 参考資料1 as +, and a speck
    # before 参考資料2 as 、: the agenda and both reference materials were lost
    cover = page(1, [
        (147, "「ワンチームとやま」 連携推進本部会議次第"), (72, "1開会"), (72, "3議事 -"),
        (109, "(1)令和3年度連携推進項目について"), (109, "(2)その他"), (72, "4閉会"),
        (72, "配付資料"), (72, "資料1 令和4年度「ワンチームとやま」連携推進本部会議における協議事項について"),
        (72, "資料2 年間スケジュール"), (72, "参考資料+認定NPO法人への会員登録について(地方創生局)"),
        (72, "、参考資料2若手職員研修について(経営管理部)")])
    res, _, _ = document_to_cover(doc(replace(cover, source="ocr", has_text_layer=False)))
    assert [r["title"] for r in res.tables["agenda_items"]] == ["令和3年度連携推進項目について", "その他"]
    assert [(r["label"], r["title"], r["department"]) for r in res.tables["materials"]] == [
        ("資料1", "令和4年度「ワンチームとやま」連携推進本部会議における協議事項について", None),
        ("資料2", "年間スケジュール", None), ("参考資料1", "認定NPO法人への会員登録について", "地方創生局"),
        ("参考資料2", "若手職員研修について", "経営管理部")]
    # a text layer's 、 before a label is printed there: no entry starts with it
    res, _, _ = document_to_cover(doc(cover))
    assert [r["label"] for r in res.tables["materials"]] == ["資料1", "資料2"]
