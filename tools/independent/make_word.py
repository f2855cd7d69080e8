"""Word-style rendition: seed -> flat ODT (Writer) -> PDF via soffice.
Mincho serif (IPAex Mincho), A4 portrait, ruled tables, 次第 with full-width digits/labels,
出席者名簿 as one 区分|職名|氏名|備考 table, each section starting on a new page."""
import re
import sys
from seedparse import parse, split_cell, md_inline
from odf import NS, fw, inline, font_decls, text_props, col_weights, escape

FONT = 'IPAexMincho'
GOTH = 'IPAexGothic'
TEXT_W = 170.0  # mm (A4 210 - 2*20)
FW_LABELS = True
FOOTER = True
MARKERS = '・※①②③④⑤⑥⑦⑧⑨○●◆◎■□【<≪（(→⇒'


class Doc:
    def __init__(self):
        self.body = []
        self.tn = 0
        self.auto = []
        self.pending_break = False

    def para(self, text, style='Body', raw=False):
        if self.pending_break:
            style = {'Body': 'BodyPB', 'Title': 'TitlePB', 'Head': 'HeadPB', 'Center': 'CenterPB'}.get(style, style)
            self.pending_break = False
        content = text if raw else inline(text)
        self.body.append('<text:p text:style-name="%s">%s</text:p>' % (style, content))

    def page_break(self):
        if self.body:
            self.pending_break = True

    def img(self):
        # empty frame where the original had a figure (no text added)
        self.para('', 'Figure')

    def table(self, rows, widths_mm, header_rows=0, cell_style='Cell', merge_cols=(), spans=None):
        """rows: list of list of cell-line-lists (each cell = list of lines)."""
        if self.pending_break:
            self.para('', 'BodyPB')
        self.tn += 1
        tname = 'T%d' % self.tn
        total = sum(widths_mm)
        self.auto.append('<style:style style:name="%s" style:family="table"><style:table-properties '
                         'style:width="%.1fmm" table:align="center" fo:margin-top="1mm" fo:margin-bottom="2mm" '
                         'style:may-break-between-rows="true"/></style:style>' % (tname, total))
        for j, w in enumerate(widths_mm):
            self.auto.append('<style:style style:name="%s.C%d" style:family="table-column">'
                             '<style:table-column-properties style:column-width="%.1fmm"/></style:style>' % (tname, j, w))
        out = ['<table:table table:name="%s" table:style-name="%s">' % (tname, tname)]
        for j in range(len(widths_mm)):
            out.append('<table:table-column table:style-name="%s.C%d"/>' % (tname, j))
        n = len(rows)
        # vertical merges: empty cell below a filled one in merge_cols
        span = [[1] * len(widths_mm) for _ in rows]
        covered = [[False] * len(widths_mm) for _ in rows]
        for j in merge_cols:
            i = header_rows
            while i < n:
                if rows[i][j] and any(x.strip() for x in rows[i][j]):
                    k = i + 1
                    while k < n and not any(x.strip() for x in rows[k][j]):
                        covered[k][j] = True
                        k += 1
                    span[i][j] = k - i
                    i = k
                else:
                    i += 1
        if header_rows:
            out.append('<table:table-header-rows>')
        for i, r in enumerate(rows):
            if header_rows and i == header_rows:
                out.append('</table:table-header-rows>')
            out.append('<table:table-row table:style-name="RowKeep">')
            for j, cell in enumerate(r):
                if covered[i][j]:
                    out.append('<table:covered-table-cell/>')
                    continue
                cs = 'CellHead' if i < header_rows else 'CellBox'
                ps = cell_style + ('H' if i < header_rows else '')
                attr = ' table:number-rows-spanned="%d"' % span[i][j] if span[i][j] > 1 else ''
                out.append('<table:table-cell table:style-name="%s" office:value-type="string"%s>' % (cs, attr))
                for line in (cell or ['']):
                    out.append('<text:p text:style-name="%s">%s</text:p>' % (ps, inline(line)))
                out.append('</table:table-cell>')
            out.append('</table:table-row>')
        out.append('</table:table>')
        self.body.append(''.join(out))

    def xml(self):
        sz = 10.5
        styles = []

        def ps(name, size=sz, align='start', bold=False, font=FONT, ml=0, ti=0, mt=0, mb=0, pb=False, extra=''):
            styles.append(
                '<style:style style:name="%s" style:family="paragraph"><style:paragraph-properties fo:text-align="%s" '
                'fo:margin-left="%smm" fo:text-indent="%smm" fo:margin-top="%smm" fo:margin-bottom="%smm" '
                'fo:line-height="125%%"%s%s/>%s</style:style>'
                % (name, align, ml, ti, mt, mb, ' fo:break-before="page"' if pb else '', extra, text_props(font, size, bold)))
        for pbk, sfx in ((False, ''), (True, 'PB')):
            ps('Body' + sfx, pb=pbk)
            ps('Title' + sfx, 15, 'center', True, mb=4, pb=pbk)
            ps('Head' + sfx, 12, 'start', True, mt=1, mb=2, pb=pbk)
            ps('Center' + sfx, sz, 'center', pb=pbk)
        ps('Right', sz, 'end')
        ps('Sub', 11, 'start', True, mt=2, mb=1)
        ps('Li0', ml=6, ti=-4)
        ps('Li1', ml=12, ti=-4)
        ps('Label', 11, ml=55)
        ps('Agenda', 11, ml=8, mt=1)
        ps('Agenda2', 11, ml=16)
        ps('Cell', 9)
        ps('CellH', 9, 'center', True)
        ps('Small', 7.5)
        ps('SmallH', 7.5, 'center', True)
        styles.append('<style:style style:name="Figure" style:family="paragraph"><style:paragraph-properties '
                      'fo:border="0.5pt dashed #808080" fo:padding="1mm" fo:margin-left="40mm" fo:margin-right="40mm" '
                      'fo:margin-top="3mm" fo:margin-bottom="3mm" fo:line-height="25mm"/>%s</style:style>' % text_props(FONT, sz))
        cells = ('<style:style style:name="RowKeep" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>'
                 '<style:style style:name="CellBox" style:family="table-cell"><style:table-cell-properties '
                 'fo:border="0.5pt solid #000000" fo:padding="0.8mm" style:vertical-align="top"/></style:style>'
                 '<style:style style:name="CellHead" style:family="table-cell"><style:table-cell-properties '
                 'fo:border="0.5pt solid #000000" fo:padding="0.8mm" fo:background-color="#d9d9d9" style:vertical-align="middle"/></style:style>'
                 '<style:style style:name="Tu" style:family="text"><style:text-properties style:text-underline-style="solid" '
                 'style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>')
        page = ('<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" '
                'style:print-orientation="portrait" fo:margin-top="20mm" fo:margin-bottom="15mm" fo:margin-left="20mm" '
                'fo:margin-right="20mm"/><style:footer-style><style:header-footer-properties fo:min-height="8mm" fo:margin-top="3mm"/></style:footer-style></style:page-layout>')
        foot = ('<style:footer><text:p text:style-name="Center">- <text:page-number text:select-page="current"/> -</text:p></style:footer>'
                if FOOTER else '')
        master = ('<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
                  + foot + '</style:master-page></office:master-styles>')
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s office:version="1.3" '
                'office:mimetype="application/vnd.oasis.opendocument.text">%s'
                '<office:styles><style:default-style style:family="paragraph">%s</style:default-style>%s</office:styles>'
                '<office:automatic-styles>%s%s%s</office:automatic-styles>%s'
                '<office:body><office:text>%s</office:text></office:body></office:document>'
                % (NS, font_decls(FONT, GOTH), text_props(FONT, sz), ''.join(styles), cells, page,
                   ''.join(self.auto), master, '\n'.join(self.body)))


def bullet(text, level):
    t = md_inline(text)
    if t and t[0] in MARKERS:
        return t
    return ('○' if level == 0 else '・') + t


def fw_label(s):
    """次第 labels: 'N X Y' -> full-width digits + full-width spaces"""
    return fw(s).replace(' ', '　')


def render_jidai(d, sec):
    texts = [b[1] if b[0] == 'p' else b[2] for b in sec]
    kinds = [b[0] for b in sec]
    i = 0
    # title lines (before 日 時)
    while not texts[i].startswith('日 時'):
        d.para(fw(texts[i]).replace(' 次第', '　次第'), 'Title')
        i += 1
    d.para('', 'Body')
    d.para('日　時：' + fw(texts[i].split('：', 1)[1]), 'Label'); i += 1
    d.para('　　　　' + fw(texts[i]), 'Label'); i += 1
    d.para('場　所：' + fw(texts[i].split('：', 1)[1]), 'Label'); i += 1
    d.para('', 'Body')
    while texts[i] != '配付資料':
        t = texts[i]
        if kinds[i] == 'li':
            m = re.match(r'\((\d+)\) (.*)', t)
            d.para('（%s）%s' % (fw(m.group(1)), fw(m.group(2))), 'Agenda2')
        else:
            num, rest = t.split(' ', 1)
            d.para(fw(num) + '　' + rest.replace(' ', '　'), 'Agenda')
        i += 1
    d.para('', 'Body')
    d.para('', 'Body')
    d.para('配付資料', 'Sub')
    rows = []
    for t in texts[i + 1:]:
        lab, title = t.split(' ', 1)
        rows.append([[fw(lab)], [fw(title)]])
    d.table(rows, [28, 142])


def render_attendees(d, sec):
    d.para(sec[0][1], 'Title')
    rows = [[['区　分'], ['職　名'], ['氏　名'], ['備　考']]]
    group = None
    for b in sec[1:]:
        if b[0] == 'p':
            group = fw(b[1])
        elif b[0] == 'table':
            first = True
            for r in b[1]:
                post, name = r[0], r[1]
                note = r[2] if len(r) > 2 else ''
                rows.append([[group] if first else [''], [post], [name.replace(' ', '　')], [note]])
                first = False
    d.table(rows, [36, 60, 34, 40], header_rows=1, merge_cols=(0,))


def render_generic(d, sec, first_is_head=True):
    for k, b in enumerate(sec):
        if b[0] == 'p':
            t = md_inline(b[1])
            if k == 0 and first_is_head:
                d.para(t, 'Head')
            elif re.match(r'^(日時|場所): ', t):
                d.para(fw(t.replace(': ', '：', 1)) if FW_LABELS else t, 'Center')
            elif t == '資料2':
                d.para(fw(t) if FW_LABELS else t, 'Right')
            else:
                d.para(t, 'Body')
        elif b[0] == 'li':
            d.para(bullet(b[2], b[1]), 'Li%d' % b[1])
        elif b[0] == 'img':
            d.img()
        elif b[0] == 'table':
            rows = b[1]
            ncol = len(rows[0])
            head = 1 if (rows[0][0] in ('項目', '連携項目名 (提案市町村)', '開催日', '区分', '期間', '')
                         or rows[0][0].startswith('追加接種のタイミング')) else 0
            if ncol >= 8:
                cstyle = 'Small'
            else:
                cstyle = 'Cell'
            wts = col_weights(rows)
            if ncol >= 8:
                wts = [0.16] + [0.84 / (ncol - 1)] * (ncol - 1) if rows[0][0].startswith('追加') else [0.1] + [0.9 / (ncol - 1)] * (ncol - 1)
            widths = [TEXT_W * w for w in wts]
            merge = ()
            if rows[0][0] == '項目':
                merge = tuple(range(ncol))
            elif head and rows[0][0].startswith('連携項目名'):
                merge = (0,)
            elif not head and ncol == 3 and rows[0][0].startswith('令和') and rows[0][0].endswith('年度'):
                merge = (0,)  # 年間スケジュール
            cells = [[split_cell(c) if c else [''] for c in r] for r in rows]
            d.table(cells, widths, header_rows=head, cell_style=cstyle, merge_cols=merge)


def build(seed, out_fodt):
    secs = parse(seed)
    d = Doc()
    render_jidai(d, secs[0])
    d.page_break()
    render_attendees(d, secs[1])
    for sec in secs[2:]:
        d.page_break()
        if sec[0][1].endswith('配席図'):
            d.para(sec[0][1], 'Title')
            render_generic(d, sec[1:], first_is_head=False)
        else:
            render_generic(d, sec)
    open(out_fodt, 'w', encoding='utf-8').write(d.xml())


if __name__ == '__main__':
    build(sys.argv[1], sys.argv[2])
