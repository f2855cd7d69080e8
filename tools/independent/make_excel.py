"""Excel-style rendition: tabular sections -> Calc sheets (flat ODS, gothic, borders, wrapped cells,
landscape where wide); non-tabular sections -> Writer pages in gothic. Each run of consecutive
sections of one kind becomes one file; soffice converts each to PDF; pdfunite merges them in seed order."""
import math
import os
import re
import subprocess
import sys
from seedparse import parse, split_cell, md_inline
from odf import NS, inline, font_decls, text_props, col_weights, disp_width, escape
import make_word

GOTH = 'IPAexGothic'
PORT_W, LAND_W = 172.0, 255.0


class Sheet:
    def __init__(self, name, landscape, widths):
        self.name, self.landscape, self.widths = name, landscape, widths
        self.rows = []  # (cells, height_mm or None); cell = dict(lines, st, span, vspan, covered)

    def row(self, cells, height=None):
        self.rows.append((cells, height))

    def text_row(self, text, st='txt', size=10.0):
        """one merged cell across all columns, height estimated from text length"""
        w = sum(self.widths) - 3
        cpl = w / (size * 0.3528) * 0.9
        lines = max(1, math.ceil(disp_width(text) / cpl))
        h = lines * size * 0.3528 * 1.55 + 2
        self.row([cell([text], st, span=len(self.widths))], h)

    def blank(self, h=4):
        self.row([], h)


def cell(lines, st='cel', span=1, vspan=1, covered=False):
    return dict(lines=lines if isinstance(lines, list) else [lines], st=st, span=span, vspan=vspan, covered=covered)


def fods(sheets):
    auto = []
    cstyles = {
        'txt': ('', 10, False, 'start', 'top', True),
        'tit': ('', 12, True, 'start', 'middle', True),
        'big': ('', 14, True, 'center', 'middle', True),
        'hdr': ('fo:border="0.5pt solid #000000" fo:background-color="#ddebf7"', 10, True, 'center', 'middle', True),
        'cel': ('fo:border="0.5pt solid #000000"', 10, False, 'start', 'top', True),
        'cels': ('fo:border="0.5pt solid #000000"', 8, False, 'start', 'top', True),
        'hdrs': ('fo:border="0.5pt solid #000000" fo:background-color="#ddebf7"', 8, True, 'center', 'middle', True),
        'celm': ('fo:border="0.5pt solid #000000"', 10, False, 'start', 'middle', True),
        'plain': ('', 11, False, 'start', 'middle', False),
    }
    for name, (border, size, bold, ha, va, wrap) in cstyles.items():
        auto.append('<style:style style:name="%s" style:family="table-cell"><style:table-cell-properties %s '
                    'style:vertical-align="%s" fo:wrap-option="%s" fo:padding="0.6mm"/>'
                    '<style:paragraph-properties fo:text-align="%s"/>%s</style:style>'
                    % (name, border, va, 'wrap' if wrap else 'no-wrap', ha, text_props(GOTH, size, bold)))
    auto.append('<style:style style:name="Tu" style:family="text"><style:text-properties style:text-underline-style="solid" '
                'style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>')
    auto.append('<style:style style:name="taP" style:family="table" style:master-page-name="MP"><style:table-properties table:display="true"/></style:style>')
    auto.append('<style:style style:name="taL" style:family="table" style:master-page-name="ML"><style:table-properties table:display="true"/></style:style>')
    auto.append('<style:style style:name="roOpt" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true"/></style:style>')
    for orient, name, w, h in (('portrait', 'pP', 210, 297), ('landscape', 'pL', 297, 210)):
        auto.append('<style:page-layout style:name="%s"><style:page-layout-properties fo:page-width="%dmm" fo:page-height="%dmm" '
                    'style:print-orientation="%s" fo:margin-top="12mm" fo:margin-bottom="12mm" fo:margin-left="15mm" fo:margin-right="15mm" '
                    'style:print-page-order="ttb" style:scale-to="100%%"/>'
                    '<style:header-style/><style:footer-style/></style:page-layout>' % (name, w, h, orient))
    rowstyles = {}
    body = []
    for si, sh in enumerate(sheets):
        cols = []
        for j, wmm in enumerate(sh.widths):
            cn = 'c%d_%d' % (si, j)
            auto.append('<style:style style:name="%s" style:family="table-column"><style:table-column-properties '
                        'fo:break-before="auto" style:column-width="%.1fmm"/></style:style>' % (cn, wmm))
            cols.append('<table:table-column table:style-name="%s" table:default-cell-style-name="Default"/>' % cn)
        out = ['<table:table table:name="%s" table:style-name="%s">' % (escape(sh.name), 'taL' if sh.landscape else 'taP')]
        out += cols
        ncol = len(sh.widths)
        for cells, h in sh.rows:
            if h is None:
                rs = 'roOpt'
            else:
                rs = 'r%.1f' % h
                if rs not in rowstyles:
                    rowstyles[rs] = ('<style:style style:name="%s" style:family="table-row"><style:table-row-properties '
                                     'style:row-height="%.1fmm" style:use-optimal-row-height="false"/></style:style>' % (rs, h))
            out.append('<table:table-row table:style-name="%s">' % rs)
            used = 0
            for c in cells:
                if c['covered']:
                    out.append('<table:covered-table-cell/>' * c['span'])
                    used += c['span']
                    continue
                attr = ''
                if c['span'] > 1 or c['vspan'] > 1:
                    attr = ' table:number-columns-spanned="%d" table:number-rows-spanned="%d"' % (c['span'], c['vspan'])
                texts = [l for l in c['lines']]
                if all(t == '' for t in texts):
                    out.append('<table:table-cell table:style-name="%s"%s/>' % (c['st'], attr))
                else:
                    out.append('<table:table-cell table:style-name="%s" office:value-type="string"%s>%s</table:table-cell>'
                               % (c['st'], attr, ''.join('<text:p>%s</text:p>' % inline(t) for t in texts)))
                if c['span'] > 1:
                    out.append('<table:covered-table-cell/>' * (c['span'] - 1))
                used += c['span']
            if used < ncol:
                out.append('<table:table-cell table:number-columns-repeated="%d"/>' % (ncol - used))
            out.append('</table:table-row>')
        out.append('</table:table>')
        body.append(''.join(out))
    auto += rowstyles.values()
    master = ('<office:master-styles><style:master-page style:name="MP" style:page-layout-name="pP">'
              '<style:header style:display="false"/><style:footer style:display="false"/></style:master-page>'
              '<style:master-page style:name="ML" style:page-layout-name="pL">'
              '<style:header style:display="false"/><style:footer style:display="false"/></style:master-page></office:master-styles>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s office:version="1.3" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">%s'
            '<office:styles><style:style style:name="Default" style:family="table-cell">%s</style:style></office:styles>'
            '<office:automatic-styles>%s</office:automatic-styles>%s'
            '<office:body><office:spreadsheet>%s</office:spreadsheet></office:body></office:document>'
            % (NS, font_decls(GOTH), text_props(GOTH, 10), ''.join(auto), master, ''.join(body)))


def is_head(rows):
    r0 = rows[0][0]
    return r0 in ('項目', '連携項目名 (提案市町村)', '開催日', '区分', '期間', '') or r0.startswith('追加接種のタイミング')


def add_table(sh, rows, ncol_sheet):
    """place a seed table into the sheet; its columns are stretched to the sheet's columns"""
    ncol = len(rows[0])
    head = 1 if is_head(rows) else 0
    small = ncol >= 8
    merge0 = (not head and ncol == 3 and rows[0][0].startswith('令和') and rows[0][0].endswith('年度'))  # 年間スケジュール
    for i, r in enumerate(rows):
        cells = []
        for j, c in enumerate(r):
            st = ('hdrs' if small else 'hdr') if i < head else ('cels' if small else 'cel')
            if merge0 and j == 0:
                if c:
                    k = i + 1
                    while k < len(rows) and not rows[k][0]:
                        k += 1
                    cells.append(cell([c], 'celm', vspan=k - i))
                else:
                    cells.append(cell([''], covered=True))
                continue
            lines = split_cell(c) if c else ['']
            if merge0 and j == 2:
                # schedule: each ①/②/※ sub-point on its own line inside the cell (Alt+Enter)
                lines = [x for x in re.split(r' (?=[①②③※])', c)]
            cells.append(cell(lines, st))
        sh.row(cells)


def sheet_for_section(name, sec):
    tables = [b[1] for b in sec if b[0] == 'table']
    ncol = max(len(t[0]) for t in tables)
    maxlen = max(disp_width(c) for t in tables for r in t for c in r)
    landscape = ncol >= 3 and (ncol >= 4 or maxlen > 40)
    W = LAND_W if landscape else PORT_W
    main = max(tables, key=lambda t: (len(t[0]), len(t)))
    wts = col_weights(main)
    if len(main[0]) >= 8:
        wts = [0.16] + [0.84 / (len(main[0]) - 1)] * (len(main[0]) - 1) if main[0][0].startswith('追加') else [0.1] + [0.9 / (len(main[0]) - 1)] * (len(main[0]) - 1)
    if main[0][0].startswith('令和') and len(main[0]) == 3 and not is_head(main):
        wts = [0.12, 0.14, 0.74]
    sh = Sheet(name, landscape, [W * w for w in wts])
    first = True
    for b in sec:
        if b[0] == 'p':
            t = md_inline(b[1])
            sh.text_row(t, 'tit' if first else 'txt', 12 if first else 10)
            first = False
        elif b[0] == 'li':
            t = md_inline(b[2])
            if not (t and t[0] in make_word.MARKERS):
                t = ('■' if b[1] == 0 else '・') + t
            sh.text_row(('' if b[1] == 0 else '　') + t)
        elif b[0] == 'img':
            sh.blank(6)
        elif b[0] == 'table':
            t = b[1]
            if len(t[0]) < len(sh.widths):
                # narrower table on a sheet: pad with empty unbordered columns
                n = len(sh.widths)
                sub = Sheet('x', landscape, sh.widths)
                add_table(sub, t, n)
                for cells, h in sub.rows:
                    sh.row(cells, h)
            else:
                add_table(sh, t, len(sh.widths))
            sh.blank(3)
        first = False if b[0] != 'img' else first
    return sh


def jidai_sheet(sec):
    sh = Sheet('次第', False, [12, 30, 130])
    texts = [b[1] if b[0] == 'p' else b[2] for b in sec]
    kinds = [b[0] for b in sec]
    i = 0
    title = []
    while not texts[i].startswith('日 時'):
        title.append(texts[i]); i += 1
    for t in title:
        sh.row([cell([t], 'big', span=3)], 9)
    sh.blank(6)
    sh.row([cell([''], 'plain'), cell(['日時'], 'plain'), cell([texts[i].split('：', 1)[1]], 'plain')], 7); i += 1
    sh.row([cell([''], 'plain'), cell([''], 'plain'), cell([texts[i]], 'plain')], 7); i += 1
    sh.row([cell([''], 'plain'), cell(['場所'], 'plain'), cell([texts[i].split('：', 1)[1]], 'plain')], 7); i += 1
    sh.blank(6)
    circ = '①②③④⑤⑥⑦⑧⑨'
    while texts[i] != '配付資料':
        t = texts[i]
        if kinds[i] == 'li':
            m = re.match(r'\((\d+)\) (.*)', t)
            sh.row([cell([''], 'plain'), cell([circ[int(m.group(1)) - 1]], 'plain'), cell([m.group(2)], 'plain')], 7)
        else:
            num, rest = t.split(' ', 1)
            sh.row([cell([num + '.'], 'plain'), cell([rest.replace(' ', '')], 'plain', span=2)], 7)
        i += 1
    sh.blank(8)
    sh.row([cell(['配付資料'], 'hdr', span=3)], 7)
    for t in texts[i + 1:]:
        lab, title = t.split(' ', 1)
        sh.row([cell([lab], 'cel', span=2), cell([title], 'cel')])
    return sh


def attendees_sheet(sec):
    sh = Sheet('出席者', False, [38, 30, 62, 42])
    sh.row([cell([sec[0][1]], 'big', span=4)], 10)
    sh.row([cell(['区分'], 'hdr'), cell(['氏名'], 'hdr'), cell(['職名'], 'hdr'), cell(['備考'], 'hdr')])
    group = None
    for b in sec[1:]:
        if b[0] == 'p':
            group = b[1]
        elif b[0] == 'table':
            n = len(b[1])
            for k, r in enumerate(b[1]):
                g = cell([group], 'celm', vspan=n) if k == 0 else cell([''], covered=True)
                sh.row([g, cell([r[1]], 'cel'), cell([r[0]], 'cel'), cell([r[2] if len(r) > 2 else ''], 'cel')])
    return sh


def build(seed, prefix, outpdf):
    secs = parse(seed)
    # classify
    parts = []  # (kind, payload list)

    def add(kind, item):
        if parts and parts[-1][0] == kind:
            parts[-1][1].append(item)
        else:
            parts.append((kind, [item]))
    for k, sec in enumerate(secs):
        ntab = sum(1 for b in sec if b[0] == 'table')
        nprose = sum(1 for b in sec if b[0] in ('p', 'li'))
        if k == 0:
            add('calc', jidai_sheet(sec))
        elif k == 1:
            add('calc', attendees_sheet(sec))
        elif ntab and nprose < 25:
            add('calc', sheet_for_section('%02d' % k + re.sub(r'[\[\]*?/\\:]', '', md_inline(sec[0][1]))[:20], sec))
        else:
            add('writer', sec)
    # writer parts in gothic with different bullets
    make_word.FONT = GOTH
    make_word.FW_LABELS = False
    make_word.FOOTER = False
    make_word.bullet = lambda text, level: (md_inline(text) if md_inline(text)[:1] in make_word.MARKERS
                                           else ('■' if level == 0 else '・') + md_inline(text))
    files = []
    for n, (kind, items) in enumerate(parts):
        if kind == 'calc':
            fn = '%s_p%02d.fods' % (prefix, n)
            open(fn, 'w', encoding='utf-8').write(fods(items))
        else:
            fn = '%s_p%02d.fodt' % (prefix, n)
            d = make_word.Doc()
            for sec in items:
                d.page_break()
                if sec[0][1].endswith('配席図'):
                    d.para(sec[0][1], 'Title')
                    make_word.render_generic(d, sec[1:], first_is_head=False)
                else:
                    make_word.render_generic(d, sec)
            open(fn, 'w', encoding='utf-8').write(d.xml())
        files.append(fn)
    subprocess.run(['soffice', '--headless', '--convert-to', 'pdf'] + files, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pdfs = [os.path.splitext(f)[0] + '.pdf' for f in files]
    for p in pdfs:
        assert os.path.exists(p), p
    subprocess.run(['pdfunite'] + pdfs + [outpdf], check=True)
    return parts


if __name__ == '__main__':
    build(sys.argv[1], sys.argv[2], sys.argv[3])
