"""Parse a seed packet text into sections of blocks (independent of any pipeline code).

Block kinds:
  ('p', text)            paragraph
  ('li', level, text)    markdown list item ("- " / " - ")
  ('table', rows)        consecutive tab-separated lines (rows = list of cell lists)
  ('img',)               run of >=3 blank lines (a figure in the original)
"""
import re

SECTION_STARTS = [
    r'^「ワンチームとやま」連携推進本部会議出席者$',
    r'配席図$',
    r'^「ワンチームとやま」連携推進本部 ',
    r'^連携事項名',
    r'^令和\d年度連携(項目|施策)の主な取り組み実績',
    r'^令和\d年度「ワンチームとやま」連携推進本部会議における協議事項',
    r'^新型コロナ(ウイルス)?ワクチンの(追加接種の前倒し|接種状況)',
    r'^追加接種のワクチン供給計画',
    r'^以下、参考資料',
    r'^事務連絡',
    r'^認定 NPO 法人',
    r'^令和\d年1月\d+日$',
    r'^富山県成長戦略における',
    r'^成長戦略における主な取組み状況について$',
    r'^[12]\. (成長戦略のビジョン実現|戦略ごとの取組み)',
    r'^[①②③④⑤⑥]\S+戦略',
    r'^令和5年度に重点的に取り組もうとしていること',
    r'^都市経営プロフェッショナルスクールコーチプロフィール',
    r'^若手職員地域課題解決フィールドワーク研修について$',
    r'^連携項目名\(施策\)',
    r'^◎ R\d年度',
]
# a start line does not open a new section when the previous non-empty line matches one of these
NO_BREAK_AFTER = [
    r'^令和\d年度連携(項目|施策)の主な取り組み実績',
    r'^県担当課',
    r'^人 事 課$',
    r'^富山県成長戦略における',
    r'^成長戦略における主な取組み状況について$',
    r'^1\. 成長戦略のビジョン実現に向けた主な取組み$',
    r'^令和5年1月19日$',
    r'^連携のポイント',
    r'^[①②③④⑤⑥]\S+戦略',
    r'^\(2\) 「しあわせデザイン」',
    r'^知事政策局',
    r'^事務連絡$',
]


def _plain(line):
    s = line.strip()
    if s.startswith('- '):
        s = s[2:]
    return s


def parse(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    sections = [[]]
    blank_run = 0
    prev_nonempty = ''
    table = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        if raw.strip() == '':
            blank_run += 1
            if table is not None:
                sections[-1].append(('table', table))
                table = None
            continue
        if blank_run >= 3 and sections[-1]:
            sections[-1].append(('img',))
        blank_run = 0
        # markdown table (r4 only)
        st = raw.strip()
        if st.startswith('- |'):
            st = st[2:]
        if st.startswith('|'):
            if re.match(r'^\|[-| ]+\|$', st):
                continue
            cells = [c.strip() for c in st.strip('|').split('|')]
            if table is None:
                table = []
            if all(c == '' for c in cells):
                continue  # empty markdown header row
            table.append(cells)
            continue
        if '\t' in raw:
            cells = raw.split('\t')
            while len(cells) > 1 and cells[-1].strip() == '' and table and len(cells) > len(table[0]):
                cells.pop()
            cells = [c.strip() for c in cells]
            if table is None:
                table = []
            table.append(cells)
            prev_nonempty = cells[0]
            continue
        if table is not None:
            sections[-1].append(('table', table))
            table = None
        plain = _plain(raw)
        is_start = any(re.search(p, plain) for p in SECTION_STARTS)
        if is_start and any(re.search(p, prev_nonempty) for p in NO_BREAK_AFTER):
            is_start = False
        if is_start and sections[-1]:
            sections.append([])
        m = re.match(r'^( *)- (.*)$', raw)
        if m:
            level = 1 if len(m.group(1)) > 0 else 0
            sections[-1].append(('li', level, m.group(2).strip()))
        else:
            sections[-1].append(('p', raw.strip()))
        prev_nonempty = plain
    if table is not None:
        sections[-1].append(('table', table))
    # pad table rows
    for sec in sections:
        for b in sec:
            if b[0] == 'table':
                n = max(len(r) for r in b[1])
                for r in b[1]:
                    r.extend([''] * (n - len(r)))
    return [s for s in sections if s]


BRACKETS = {'(': ')', '（': '）', '「': '」', '『': '』', '[': ']', '【': '】'}


def split_cell(text):
    """Split one seed cell into display lines. <ul> lists become one line per list item
    (split before '・' markers or, when there are none, at spaces outside brackets);
    '⇒' / '※' / '・' after a space start a new line elsewhere. No characters are added
    or removed except the <ul ...> tag and the separating spaces."""
    t = text
    had_ul = '<ul' in t
    t = re.sub(r'<ul[^>]*>', '', t).strip()
    if had_ul:
        if re.search(r'(^|\s)・', t):
            parts = re.split(r'\s+(?=・)', t)
        else:
            parts, cur, depth = [], '', 0
            closers = set(BRACKETS.values())
            for ch in t:
                if ch in BRACKETS:
                    depth += 1
                elif ch in closers and depth > 0:
                    depth -= 1
                if ch == ' ' and depth == 0:
                    if cur:
                        parts.append(cur)
                    cur = ''
                else:
                    cur += ch
            if cur:
                parts.append(cur)
        return [p.strip() for p in parts if p.strip()]
    parts = re.split(r' (?=[⇒※・])', t)
    return [p for p in parts if p != '']


def md_inline(text):
    """[label](#) -> label ; <https://x> -> https://x"""
    text = re.sub(r'\[([^\]]+)\]\([^)]*\)', r'\1', text)
    text = re.sub(r'<(https?://[^>]+)>', r'\1', text)
    return text


if __name__ == '__main__':
    import sys
    for k, sec in enumerate(parse(sys.argv[1])):
        first = sec[0]
        print(k, first[0], (first[-1] if first[0] != 'table' else first[1][0])[:60] if first[0] != 'img' else '')
        for b in sec:
            if b[0] == 'table':
                print('    TABLE', len(b[1]), 'x', len(b[1][0]))
