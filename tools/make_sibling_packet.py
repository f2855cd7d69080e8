#!/usr/bin/env python3
"""Build a sibling packet: another prefecture's council, invented in full, with its gold.

The sample packets are one series (「ワンチームとやま」). The genre is wider: many
prefectures run a council with their municipalities whose packets hold the same
kinds of tables in other layouts and wording. This script invents one such packet —
the 2nd meeting of FY2024 of a fictional 「青嶺県・市町村連携会議」 — and prints it
twice, so that the parsers are checked on a layout they were not written against:

- ``sibling_office.pdf``: LibreOffice Writer from a flat ODT (IPAex Mincho);
- ``sibling_browser.pdf``: headless Chromium from HTML (Noto Sans CJK JP), page numbers.

What it prints, and how it differs from the samples:

- 次第 with 日時 / 会場 labels, agenda ``（１）``, 【配付資料】 (資料1–4, 参考資料);
- 出席者名簿 as ONE ruled table holding both sides side by side
  (職名 | 氏名 | 職名 | 氏名, each side's header with its head count spanning two columns);
- 資料1: the year's 連携テーマ as a table with a two-row header (a merged 提案・担当 group
  over 提案団体 | 担当部局), columns No. | 連携テーマ | 区分 | … | 備考 (区分 = 新規 / 継続);
  then the WG meetings as one row per meeting, the date FIRST (開催日 | 連携テーマ (merged
  over its meetings) | 会議名 | 開催形式 | 主な内容), dates as 令和6年5月21日(火), 5/28,
  a two-day range, two dates in one cell, 令和7年3月予定, formats 対面 / オンライン / 書面開催;
- 資料2: each theme's results under a heading of its own kind — ``【継続】１　title``,
  ``■ title（新規）``, ``２．title（令和6年度で終了）`` with a second theme on the same page, and
  a landscape slide titled ``…主な成果（title）``; results tables with other headers and
  column orders (取組項目 | 令和6年度の取組実績 | 課題 | 今後の方向性 with an extra 課題
  column; No. | 取組内容 | 成果 | 次年度の方針; 項目 | 取組結果 | 今後の方向性); WG dates of
  two themes printed as lines (one line of dates with a format note; 第N回 lines);
- 資料3: next year's themes (連携テーマ | 区分 | 提案団体 | 担当課 | 選定理由) — one theme
  left out (it ends), one new;
- 資料4: next year's schedule (時期 | 会議 | 内容) with 上旬 / 中旬 / 下旬;
- 参考資料: a table of figures (指標 | 令和5年度 | 令和6年度).

Nothing here names the parsers' vocabulary on purpose; the gold (``gold/*.csv``, the
format of ../shared/gold/r3_2022-01-20, judgement calls in ``gold/notes.md``) is written
from the same content as the print, by hand-set values below, not by the pipeline.

Usage (from the repository root; needs ``chromium`` and ``soffice`` and the fonts of
Debian's fonts-noto-cjk and fonts-ipaexfont):

    .venv/bin/python tools/make_sibling_packet.py [--out DIR] [--only office|browser] [--gold-only]
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_variant_packets import (  # noqa: E402  (the renderers the variant packets use)
    Grid, Para, Section, Theme, cell, fodt_to_pdf, html_to_pdf, sections_to_fodt, sections_to_html,
)

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = DEFAULT_ROOT / "tests" / "fixtures" / "sibling"
#: (rendition, file stem, renderer)
DEFAULT_RENDITIONS = {"office": ("sibling_office", "libreoffice"), "browser": ("sibling_browser", "chromium")}

# ---------------------------------------------------------------- the meeting

BODY = "青嶺県・市町村連携会議"
TITLE = "令和6年度第2回青嶺県・市町村連携会議"
FISCAL_YEAR = 2024
HELD_ON = "2025-02-10"
VENUE = "青嶺県庁西館4階大会議室"

AGENDA = ["令和6年度連携テーマの取組結果について", "令和7年度連携テーマ（案）について", "県と市町村の意見交換"]
MATERIALS = [("資料1", "令和6年度連携テーマ一覧及びワーキンググループ開催状況", ""),
             ("資料2", "連携テーマ別の取組結果と今後の方向性", ""),
             ("資料3", "令和7年度連携テーマ（案）", ""),
             ("資料4", "令和7年度年間スケジュール（案）", ""),
             ("参考資料", "連携テーマ関連データ", "地域振興部")]

MUNICIPAL_SIDE = "市町村"
PREF_SIDE = "県"
MUNICIPAL = [("青嶺市長", "高瀬 正人"), ("港南市長", "川村 由美"), ("白石市長", "石井 健一"),
             ("東浜市長", "森田 浩二"), ("北川町長", "大野 誠"), ("南原町長", "村上 幸子"),
             ("西山村長", "長谷部 拓也")]
PREFECTURE = [("知事", "藤原 清隆"), ("副知事", "岡本 智子"), ("総務部長", "松井 亮"),
              ("地域振興部長", "今村 和彦"), ("生活環境部長", "中島 恵")]


@dataclass(frozen=True)
class Result:
    """One row of an item's results table (gold item_results)."""

    topic: str
    results: tuple[str, ...]  # logical lines
    next_steps: tuple[str, ...]
    issue: str = ""  # an extra column some tables print (課題): no gold column


@dataclass(frozen=True)
class Wg:
    """One WG meeting (gold wg_meetings)."""

    held_on: str
    date_text: str
    precision: str = "day"
    planned: bool = False
    track: str = ""
    label: str = ""
    fmt: str = ""
    ends_on: str = ""


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    change_now: str  # 新規 / 継続 as the year's list prints it
    proposers: tuple[str, ...]
    department: str  # 担当部局 of the year's list
    section: str  # 担当課 of the results page
    results: tuple[Result, ...] = ()
    wg: tuple[Wg, ...] = ()
    next_change: str | None = None  # the list of next year: 継続 / None (left out: ends)
    ends: bool = False
    note: str = ""


TRANSPORT = Item(
    "transport", "地域公共交通の維持・確保", "継続", ("港南市", "北川町"), "地域振興部", "交通政策課",
    results=(
        Result("①デマンド交通の共同運行", ("・港南市と北川町の境界をまたぐデマンド交通の共同運行を試行（10月～）",
                                        "・利用者数は月平均320人"),
               ("試行結果を検証し、令和7年度中に本格運行の可否を判断",), "運転手の確保"),
        Result("②路線バスの維持に向けた連携", ("・赤字路線の利用実態を共同で調査",),
               ("調査結果を踏まえ、路線の再編を検討",), "財源の確保"),
        Result("③利用促進の共同PR", ("・共通ポスターを作成し、県内全駅に掲示",), ("引き続き共同PRを実施",), "―"),
    ),
    wg=(
        Wg("2024-05-21", "令和6年5月21日(火)", track="交通WG", label="第1回", fmt="対面"),
        Wg("2024-08-06", "令和6年8月6日(火)", track="交通WG", label="第2回", fmt="オンライン"),
        Wg("2024-11-12", "令和6年11月12日(火)", track="交通WG", label="第3回", fmt="書面"),
        Wg("2025-03-01", "令和7年3月予定", precision="month", planned=True, track="交通WG", label="第4回",
           ends_on="2025-03-31"),
    ),
    next_change="継続", note="令和5年度から",
)
MIGRATION = Item(
    "migration", "移住・定住促進に向けた情報発信の共同化", "新規", ("青嶺市",), "地域振興部", "移住定住推進課",
    results=(
        Result("移住ポータルサイトの共同運営", ("・県と全市町村の移住情報を一つのサイトに集約（7月開設）",
                                          "・閲覧数は月平均1.2万件"),
               ("掲載情報を拡充し、相談予約機能を追加",)),
        Result("合同移住相談会の開催", ("・東京と大阪で合同相談会を開催し、延べ186組が来場",),
               ("開催地に名古屋を加え、年3回開催",)),
    ),
    wg=(
        Wg("2024-06-03", "6月3日(月)"),
        Wg("2024-09-10", "9月10日(火)", fmt="オンライン"),
        Wg("2024-12-17", "12月17日(火)"),
    ),
    next_change="継続",
)
FACILITIES = Item(
    "facilities", "公共施設の広域的な相互利用", "継続", ("白石市", "南原町", "西山村"), "総務部", "市町村課",
    results=(
        Result("体育施設の相互利用", ("3市町村の体育施設を住民料金で相互に利用できるようにした（4月～）",),
               ("各団体の通常業務として継続",)),
        Result("図書館の広域貸出", ("広域貸出の利用登録者は1,250人",), ("各団体の通常業務として継続",)),
    ),
    wg=(
        Wg("2024-05-28", "5/28", track="公共施設担当課長会議", fmt="対面"),
        Wg("2024-08-27", "8/27", track="公共施設担当課長会議", fmt="対面"),
        Wg("2024-11-26", "11/26", track="公共施設担当課長会議", fmt="書面"),
    ),
    next_change=None, ends=True,
)
WATER = Item(
    "water", "水道事業の広域連携", "継続", ("東浜市",), "生活環境部", "生活衛生課",
    results=(
        Result("資機材の共同調達", ("水道メーターの共同調達に向け、仕様の統一案を作成",), ("令和7年度に共同調達を実施",)),
        Result("災害時の相互応援", ("応急給水訓練を4市町合同で実施（11月）",), ("訓練を継続し、応援体制を強化",)),
    ),
    wg=(
        Wg("2024-07-22", "令和6年7月22日(月)～23日(火)", track="先進地視察", fmt="対面", ends_on="2024-07-23"),
        Wg("2024-10-15", "10/15", track="広域連携検討会", fmt="オンライン"),
        Wg("2024-12-10", "12/10", track="広域連携検討会", fmt="オンライン"),
    ),
    next_change="継続",
)
DIGITAL = Item(
    "digital_talent", "デジタル人材の共同確保・育成", "新規", ("青嶺市", "港南市"), "デジタル戦略局", "デジタル戦略課",
    results=(
        Result("専門人材の共同任用", ("・外部デジタル人材2名を県と5市町で共同任用",), ("任用する市町村の拡大を検討",)),
        Result("職員研修の合同実施", ("・データ活用研修を3回開催し、延べ142人が受講",), ("研修内容を段階別に再編",)),
    ),
    wg=(
        Wg("2024-06-18", "令和6年6月18日（火）", label="第1回", fmt="オンライン"),
        Wg("2024-10-08", "令和6年10月8日（火）", label="第2回", fmt="対面"),
        Wg("2025-02-25", "令和7年2月25日（火）予定", planned=True, label="第3回"),
    ),
    next_change="継続",
)
DISASTER = Item(
    "disaster_support", "災害時の応援・受援体制の強化", "新規", ("白石市",), "", "危機対策課",
    next_change="新規",
    note="大規模災害に備え、市町村間の応援・受援の手順を共通化する必要がある。",
)
ITEMS = (TRANSPORT, MIGRATION, FACILITIES, WATER, DIGITAL)
NEXT_YEAR = (TRANSPORT, MIGRATION, WATER, DIGITAL, DISASTER)

SCHEDULE = [  # (date printed, event, starts_on, ends_on, precision, session_no, format)
    ("令和7年5月中旬", "第1回連携会議（オンライン）", "2025-05-11", "2025-05-20", "mid", 1, "オンライン"),
    ("8月下旬", "第2回連携会議", "2025-08-21", "2025-08-31", "late", 2, ""),
    ("11月上旬", "第3回連携会議（書面）", "2025-11-01", "2025-11-10", "early", 3, "書面"),
    ("令和8年2月上旬", "第4回連携会議", "2026-02-01", "2026-02-10", "early", 4, ""),
]
SCHEDULE_CONTENT = ["令和7年度連携テーマの取組方針", "取組状況の中間報告", "次年度の連携テーマの検討",
                    "取組結果の報告、次年度の連携テーマの決定"]
FIGURES = [  # (indicator, unit, FY2023 value, FY2024 value)
    ("デマンド交通の利用者数（月平均）", "人", None, 320),
    ("移住相談件数", "件", 410, 536),
    ("図書館の広域貸出登録者数", "人", 980, 1250),
]


# ---------------------------------------------------------------- print

def _lines(text: str) -> list[str]:
    return text.split("\n")


def cover_blocks() -> list:
    blocks = [Para("令和6年度 第2回 青嶺県・市町村連携会議", "title"), Para("次　第", "title"),
              Para("日時：令和7年2月10日（月）14時00分～15時30分", "right"),
              Para("会場：青嶺県庁西館4階 大会議室", "right"),
              Para("１　開　会"), Para("２　知事あいさつ"), Para("３　議　事")]
    blocks += [Para(f"（{'１２３'[i]}）{t}", indent=2) for i, t in enumerate(AGENDA)]
    blocks += [Para("４　閉　会"), Para(""), Para("【配付資料】", "heading")]
    for label, title, dept in MATERIALS:
        blocks.append(Para(f"{label}　{title}" + (f"（{dept}）" if dept else ""), indent=1))
    return blocks


def attendee_blocks() -> list:
    rows = [(cell(f"{MUNICIPAL_SIDE}（{len(MUNICIPAL)}名）", colspan=2, header=True), None,
             cell(f"{PREF_SIDE}（{len(PREFECTURE)}名）", colspan=2, header=True), None),
            tuple(cell(h, header=True) for h in ("職名", "氏名", "職名", "氏名"))]
    for i in range(max(len(MUNICIPAL), len(PREFECTURE))):
        left = MUNICIPAL[i] if i < len(MUNICIPAL) else ("", "")
        right = PREFECTURE[i] if i < len(PREFECTURE) else ("", "")
        rows.append(tuple(cell(x) for x in (*left, *right)))
    return [Para("出席者名簿", "title"), Grid(tuple(rows), (38.0, 40.0, 38.0, 40.0), 2)]


def list_blocks() -> list:
    head = ((cell("No.", rowspan=2, header=True), cell("連携テーマ", rowspan=2, header=True),
             cell("区分", rowspan=2, header=True), cell("提案・担当", colspan=2, header=True), None,
             cell("備考", rowspan=2, header=True)),
            (None, None, None, cell("提案団体", header=True), cell("担当部局", header=True), None))
    body = tuple((cell(str(n)), cell(it.title), cell(it.change_now), cell("、".join(it.proposers)),
                  cell(it.department), cell(it.note)) for n, it in enumerate(ITEMS, 1))
    return [Para("資料1", "boxed"), Para("令和6年度 連携テーマ一覧", "title"),
            Grid(head + body, (12.0, 62.0, 14.0, 40.0, 26.0, 20.0), 2)]


def wg_table_blocks() -> list:
    rows = [tuple(cell(h, header=True) for h in ("開催日", "連携テーマ", "会議名", "開催形式", "主な内容"))]
    topics = {"transport": ["現状と課題の共有", "デマンド交通の事例研究", "共同運行の方針確認", "次年度計画の協議"],
              "facilities": ["相互利用の対象施設の協議", "利用料金の調整", "広域貸出の運用確認"],
              "water": ["広域化に取り組む事業体の視察", "共同調達の仕様協議"]}
    for it in (TRANSPORT, FACILITIES, WATER):
        groups: list[list[Wg]] = []
        for w in it.wg:
            if it is WATER and w.date_text == "12/10":
                groups[-1].append(w)  # two dates of one series share a row
            else:
                groups.append([w])
        for k, g in enumerate(groups):
            date = "、".join(w.date_text for w in g)
            name = f"{g[0].label}{g[0].track}" if g[0].label else g[0].track
            fmt = {"書面": "書面開催"}.get(g[0].fmt, g[0].fmt) or "―"
            title = cell(it.title, rowspan=len(groups)) if k == 0 else None
            rows.append((cell(date), title, cell(name), cell(fmt), cell(topics[it.key][k])))
    return [Para("資料1", "boxed"), Para("ワーキンググループ開催状況", "title"),
            Grid(tuple(rows), (42.0, 44.0, 36.0, 20.0, 40.0), 1)]


def _results_grid(it: Item, header: tuple[str, ...], order: tuple[str, ...], widths: tuple[float, ...]) -> Grid:
    rows = [tuple(cell(h, header=True) for h in header)]
    for n, r in enumerate(it.results, 1):
        vals = {"topic": [r.topic], "results": list(r.results), "next": list(r.next_steps), "issue": [r.issue],
                "no": [str(n)]}
        rows.append(tuple(cell(vals[k]) for k in order))
    return Grid(tuple(rows), widths, 1)


def transport_blocks() -> list:
    it = TRANSPORT
    return [Para("資料2", "boxed"), Para(f"【継続】１　{it.title}", "heading"),
            Para(f"提案団体：{'、'.join(it.proposers)}　　担当課：{it.section}"),
            Para("＜令和6年度の取組結果と今後の方向性＞", "heading"),
            _results_grid(it, ("取組項目", "令和6年度の取組実績", "課題", "今後の方向性"),
                          ("topic", "results", "issue", "next"), (40.0, 62.0, 24.0, 48.0)),
            Para("→ 令和7年度も連携テーマとして継続して取り組む。")]


def migration_blocks() -> list:
    it = MIGRATION
    dates = "、".join(w.date_text + (f"（{w.fmt}）" if w.fmt else "") for w in it.wg)
    kv = Grid(((cell("提案団体", header=True), cell("、".join(it.proposers))),
               (cell("担当課", header=True), cell(it.section))), (30.0, 80.0), 0)
    return [Para("資料2", "boxed"), Para(f"■ {it.title}（新規）", "heading"), kv,
            Para(f"■ワーキンググループ開催状況　{dates}"),
            Para("■取組結果", "heading"),
            _results_grid(it, ("No.", "取組内容", "成果", "次年度の方針"), ("no", "topic", "results", "next"),
                          (12.0, 46.0, 66.0, 50.0))]


def two_items_blocks() -> list:
    out = [Para("資料2", "boxed")]
    for n, (it, status) in enumerate(((FACILITIES, "令和6年度で終了"), (WATER, "継続")), 2):
        out += [Para(f"{'０１２３４５'[n]}．{it.title}（{status}）", "heading"),
                Para(f"提案団体：{'、'.join(it.proposers)}　／　担当課：{it.section}", indent=1),
                _results_grid(it, ("項目", "取組結果", "今後の方向性"), ("topic", "results", "next"),
                              (44.0, 70.0, 60.0))]
    return out


def digital_blocks() -> list:
    it = DIGITAL
    wg_lines = [f"{w.label}　{w.date_text}" + (f"　{w.fmt}" if w.fmt else "") for w in it.wg]
    return [Para("資料2", "boxed"), Para(f"令和6年度 連携テーマの主な成果（{it.title}）", "title"),
            Para(f"提案団体：{'、'.join(it.proposers)}　担当課：{it.section}　区分：新規"),
            Para("【WG開催実績】", "heading"), *[Para(x, indent=1) for x in wg_lines],
            _results_grid(it, ("取組", "成果", "今後の方向性"), ("topic", "results", "next"), (60.0, 110.0, 90.0))]


def next_year_blocks() -> list:
    rows = [tuple(cell(h, header=True) for h in ("連携テーマ", "区分", "提案団体", "担当課", "選定理由"))]
    for it in NEXT_YEAR:
        rows.append((cell(it.title), cell(it.next_change or ""), cell("、".join(it.proposers)), cell(it.section),
                     cell(it.note if it.next_change == "新規" else "")))
    return [Para("資料3", "boxed"), Para("令和7年度 連携テーマ（案）", "title"),
            Grid(tuple(rows), (54.0, 14.0, 34.0, 28.0, 44.0), 1),
            Para("※「公共施設の広域的な相互利用」は、各団体の通常業務に移行するため令和6年度で終了する。", "small")]


def schedule_blocks() -> list:
    rows = [tuple(cell(h, header=True) for h in ("時期", "会議", "内容"))]
    for (date, event, *_), content in zip(SCHEDULE, SCHEDULE_CONTENT):
        rows.append((cell(date), cell(event), cell(content)))
    return [Para("資料4", "boxed"), Para("令和7年度 年間スケジュール（案）", "title"),
            Grid(tuple(rows), (36.0, 56.0, 82.0), 1)]


def figures_blocks() -> list:
    rows = [tuple(cell(h, header=True) for h in ("指標", "令和5年度", "令和6年度"))]
    for name, unit, a, b in FIGURES:
        rows.append((cell(name), cell("―" if a is None else f"{a:,}{unit}"), cell(f"{b:,}{unit}")))
    return [Para("参考資料", "boxed"), Para("連携テーマ関連データ", "title"), Grid(tuple(rows), (90.0, 40.0, 40.0), 1)]


def packet_sections() -> list[Section]:
    return [Section(tuple(cover_blocks())), Section(tuple(attendee_blocks())),
            Section(tuple(list_blocks())), Section(tuple(wg_table_blocks())),
            Section(tuple(transport_blocks())), Section(tuple(migration_blocks())),
            Section(tuple(two_items_blocks())), Section(tuple(digital_blocks()), landscape=True),
            Section(tuple(next_year_blocks())), Section(tuple(schedule_blocks())),
            Section(tuple(figures_blocks()))]


THEMES = {
    "office": Theme(font="IPAexMincho", size_pt=10.5, margin_mm=18.0, title_pt=14.0),
    "browser": Theme(font="Noto Sans CJK JP", size_pt=10.0, margin_mm=16.0, page_numbers=True, title_pt=13.0),
}


# ---------------------------------------------------------------- gold

def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in r])
    return buf.getvalue()


def gold_tables() -> dict[str, str]:
    """Every gold CSV of the packet, by table name."""
    out = {
        "documents": _csv(["title", "meeting_body", "fiscal_year", "session_no", "held_on", "starts_at", "ends_at",
                           "venue"], [[TITLE, BODY, FISCAL_YEAR, 2, HELD_ON, "14:00", "15:30", VENUE]]),
        "agenda_items": _csv(["seq", "title"], [[i, t] for i, t in enumerate(AGENDA, 1)]),
        "materials": _csv(["seq", "label", "title", "department"],
                          [[i, lab, t, d] for i, (lab, t, d) in enumerate(MATERIALS, 1)]),
    }
    people = [(MUNICIPAL_SIDE, p, n) for p, n in MUNICIPAL] + [(PREF_SIDE, p, n) for p, n in PREFECTURE]
    out["attendees"] = _csv(["seq", "side", "post", "name", "by_proxy", "proxy_name", "proxy_post"],
                            [[i, s, p, n, False, "", ""] for i, (s, p, n) in enumerate(people, 1)])
    all_items = (*ITEMS, DISASTER)
    out["items"] = _csv(["item_key", "title", "title_variants"], [[it.key, it.title, ""] for it in all_items])
    years = []
    for it in ITEMS:
        years.append([it.key, FISCAL_YEAR, True, it.change_now, "|".join(it.proposers),
                      "|".join(x for x in (it.department, it.section) if x), ""])
        if it.ends:
            years.append([it.key, FISCAL_YEAR + 1, False, "終了", "", "", ""])
        else:
            years.append([it.key, FISCAL_YEAR + 1, True, it.next_change, "|".join(it.proposers), it.section, ""])
    years.append([DISASTER.key, FISCAL_YEAR + 1, True, "新規", "|".join(DISASTER.proposers), DISASTER.section,
                  DISASTER.note])
    out["item_years"] = _csv(["item_key", "fiscal_year", "selected", "change", "proposers", "departments", "reason"],
                             years)
    wg = [[it.key, w.track, w.label, w.held_on, w.date_text, w.precision, w.planned, w.fmt]
          for it in ITEMS for w in it.wg]
    out["wg_meetings"] = _csv(["item_key", "track", "label", "held_on", "date_text", "precision", "planned",
                               "format"], wg)
    res = [[it.key, FISCAL_YEAR, "", r.topic, "\n".join(r.results), "\n".join(r.next_steps)]
           for it in ITEMS for r in it.results]
    out["item_results"] = _csv(["item_key", "fiscal_year", "section", "topic", "results", "next_steps"], res)
    out["schedule"] = _csv(
        ["fiscal_year", "starts_on", "ends_on", "precision", "date_text", "event", "session_no", "extraordinary",
         "format", "planned"],
        [[FISCAL_YEAR + 1, s, e, p, d, ev, n, False, f, True] for d, ev, s, e, p, n, f in SCHEDULE])
    out["kpis"] = _csv(["core", "item_key", "metric", "scope", "segment", "value", "unit", "as_of", "as_of_text",
                        "rank", "kind", "context"], KPIS)
    return out


#: Figures a reader would list (see gold/notes.md): the figures table, the results' figures, head counts.
KPIS = [
    [False, "", "出席者数", "", MUNICIPAL_SIDE, 7, "名", "", "", "", "actual", f"{MUNICIPAL_SIDE}（7名）"],
    [False, "", "出席者数", "", PREF_SIDE, 5, "名", "", "", "", "actual", f"{PREF_SIDE}（5名）"],
    [True, "transport", "デマンド交通の利用者数（月平均）", "", "", 320, "人", "", "", "", "actual", "・利用者数は月平均320人"],
    [True, "migration", "移住ポータルサイトの閲覧数（月平均）", "", "", 12000, "件", "", "", "", "actual",
     "・閲覧数は月平均1.2万件"],
    [True, "migration", "合同移住相談会の来場者数", "", "", 186, "組", "", "", "", "actual",
     "・東京と大阪で合同相談会を開催し、延べ186組が来場"],
    [False, "migration", "合同移住相談会の開催回数（予定）", "", "", 3, "回", "", "", "", "target", "開催地に名古屋を加え、年3回開催"],
    [False, "facilities", "体育施設の相互利用の参加市町村数", "", "", 3, "市町村", "", "", "", "actual",
     "3市町村の体育施設を住民料金で相互に利用できるようにした（4月～）"],
    [True, "facilities", "図書館の広域貸出の利用登録者数", "", "", 1250, "人", "", "", "", "actual", "広域貸出の利用登録者は1,250人"],
    [False, "water", "応急給水訓練の参加市町数", "", "", 4, "市町", "", "", "", "actual", "応急給水訓練を4市町合同で実施（11月）"],
    [True, "digital_talent", "共同任用した外部デジタル人材の数", "", "", 2, "名", "", "", "", "actual",
     "・外部デジタル人材2名を県と5市町で共同任用"],
    [False, "digital_talent", "共同任用に参加した市町数", "", "", 5, "市町", "", "", "", "actual",
     "・外部デジタル人材2名を県と5市町で共同任用"],
    [False, "digital_talent", "データ活用研修の開催回数", "", "", 3, "回", "", "", "", "actual",
     "・データ活用研修を3回開催し、延べ142人が受講"],
    [True, "digital_talent", "データ活用研修の受講者数", "", "", 142, "人", "", "", "", "actual",
     "・データ活用研修を3回開催し、延べ142人が受講"],
    [True, "transport", "デマンド交通の利用者数（月平均）", "", "令和6年度", 320, "人", "", "", "", "actual",
     "デマンド交通の利用者数（月平均） 320人"],
    [True, "migration", "移住相談件数", "", "令和5年度", 410, "件", "", "", "", "actual", "移住相談件数 410件"],
    [True, "migration", "移住相談件数", "", "令和6年度", 536, "件", "", "", "", "actual", "移住相談件数 536件"],
    [True, "facilities", "図書館の広域貸出登録者数", "", "令和5年度", 980, "人", "", "", "", "actual",
     "図書館の広域貸出登録者数 980人"],
    [True, "facilities", "図書館の広域貸出登録者数", "", "令和6年度", 1250, "人", "", "", "", "actual",
     "図書館の広域貸出登録者数 1,250人"],
]


def write_gold(out_dir: Path) -> None:
    gold = out_dir / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    for name, text in gold_tables().items():
        (gold / f"{name}.csv").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main

def build(rendition: str, out_dir: Path) -> Path:
    """Write the rendition's source (HTML or flat ODT) and its PDF into ``out_dir``."""
    stem, renderer = DEFAULT_RENDITIONS[rendition]
    sections, theme = packet_sections(), THEMES[rendition]
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{stem}.pdf"
    if renderer == "chromium":
        src = out_dir / f"{stem}.html"
        src.write_text(sections_to_html(sections, theme), encoding="utf-8")
        html_to_pdf(src, pdf)
    else:
        src = out_dir / f"{stem}.fodt"
        src.write_text(sections_to_fodt(sections, theme), encoding="utf-8")
        fodt_to_pdf(src, pdf)
    return pdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    ap.add_argument("--only", choices=sorted(DEFAULT_RENDITIONS))
    ap.add_argument("--gold-only", action="store_true", help="write the gold CSVs only")
    a = ap.parse_args(argv)
    write_gold(a.out)
    if not a.gold_only:
        for name in [a.only] if a.only else list(DEFAULT_RENDITIONS):
            print(build(name, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
