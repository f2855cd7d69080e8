"""Tiny helpers for writing flat ODF (fodt / fods) by hand."""
import re
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')

FW_DIGITS = str.maketrans('0123456789', '０１２３４５６７８９')


def fw(s):
    return s.translate(FW_DIGITS)


def inline(text, underline_style='Tu'):
    """escape text; keep <u>..</u> as an underlined span; spaces preserved."""
    out = []
    pos = 0
    for m in re.finditer(r'<u>(.*?)</u>', text):
        out.append(spaces(escape(text[pos:m.start()])))
        out.append('<text:span text:style-name="%s">%s</text:span>' % (underline_style, spaces(escape(m.group(1)))))
        pos = m.end()
    out.append(spaces(escape(text[pos:])))
    return ''.join(out)


def spaces(x):
    # ODF collapses runs of spaces: encode 2nd+ spaces with text:s
    return re.sub(r'  +', lambda m: ' <text:s text:c="%d"/>' % (len(m.group(0)) - 1), x)


def font_decls(*names):
    return '<office:font-face-decls>' + ''.join(
        '<style:font-face style:name="%s" svg:font-family="%s" style:font-family-generic="roman"/>' % (n, n)
        for n in names) + '</office:font-face-decls>'


def text_props(font, size, bold=False, underline=False):
    s = ('<style:text-properties style:font-name="%s" style:font-name-asian="%s" '
         'fo:font-size="%spt" style:font-size-asian="%spt" fo:language="ja" fo:country="JP" '
         'style:language-asian="ja" style:country-asian="JP"' % (font, font, size, size))
    if bold:
        s += ' fo:font-weight="bold" style:font-weight-asian="bold"'
    if underline:
        s += ' style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"'
    return s + '/>'


def disp_width(s):
    """display width in em (full-width = 1, ASCII = 0.55)"""
    w = 0.0
    for ch in s:
        w += 0.55 if ord(ch) < 0x2000 or 0xff61 <= ord(ch) <= 0xff9f else 1.0
    return w


def col_weights(rows, lo=3.0, hi=60.0, power=0.7):
    n = len(rows[0])
    ws = []
    for j in range(n):
        vals = [disp_width(r[j]) for r in rows if j < len(r)]
        avg = sum(vals) / max(1, len(vals))
        mx = max(vals) if vals else 0
        base = max(lo, min(hi, max(avg, min(mx, 12))))
        ws.append(base ** power)
    tot = sum(ws)
    return [w / tot for w in ws]
