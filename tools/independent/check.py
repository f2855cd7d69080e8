"""Self-check: every seed text unit (paragraph / list item / table-cell line) and, for r3, every gold
attendee name+post, WG date (month/day) and schedule row must appear in pdftotext output
(NFKC-normalised, all whitespace removed; also tried against -layout output)."""
import csv
import re
import subprocess
import sys
import unicodedata
from seedparse import parse, split_cell, md_inline


def norm(s):
    s = unicodedata.normalize('NFKC', s)
    s = re.sub(r'<u>|</u>', '', s)
    return re.sub(r'\s+', '', s)


def pdf_texts(pdf):
    a = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout
    b = subprocess.run(['pdftotext', '-layout', pdf, '-'], capture_output=True, text=True).stdout
    c = subprocess.run(['pdftotext', '-raw', pdf, '-'], capture_output=True, text=True).stdout
    strip = lambda t: re.sub(r'\n\s*- ?\d+ ?-\s*\n', '\n', t)  # page-number footers
    return [norm(strip(a)), norm(strip(b)), norm(strip(c))], b


def seed_units(seed):
    units = []
    for sec in parse(seed):
        for b in sec:
            if b[0] == 'p':
                units.append(md_inline(b[1]))
            elif b[0] == 'li':
                units.append(md_inline(b[2]))
            elif b[0] == 'table':
                for r in b[1]:
                    for c in r:
                        if c:
                            units += split_cell(c)
    return units


def found(u, texts, variants=()):
    n = norm(u)
    cands = [n] + [norm(v) for v in variants]
    return any(c in t for c in cands for t in texts)


def label_variants(u):
    """layout-only relabelling done on purpose by the renditions (see README)"""
    v = []
    m = re.match(r'^\((\d)\) (.*)', u)
    if m:
        v.append(m.group(2))
    m = re.match(r'^(\d) (.*)$', u)
    if m:
        v.append(m.group(2).replace(' ', ''))
    m = re.match(r'^(日 時|場 所|日時|場所)[：:] ?(.*)', u)
    if m:
        v.append(m.group(2))
    m = re.match(r'^(資料\d|参考資料\d) (.*)', u)
    if m:
        v.append(m.group(1)); v.append(m.group(2))
    return v


def main(seed, pdf, gold_dir=None):
    texts, layout = pdf_texts(pdf)
    missing = []
    for u in seed_units(seed):
        if not found(u, texts, label_variants(u)):
            # multi-part labels (e.g. 次第 label split into cells): accept if every variant piece is found
            vs = label_variants(u)
            if vs and all(found(x, texts) for x in vs[-2:]):
                continue
            missing.append(u)
    print('%s: seed units missing: %d' % (pdf, len(missing)))
    for u in missing:
        print('   MISSING:', u[:100])
    if gold_dir:
        bad = []
        for r in csv.DictReader(open(gold_dir + '/attendees.csv', encoding='utf-8')):
            for f in ('post', 'name'):
                if not found(r[f], texts):
                    bad.append(('attendee', f, r[f]))
            # post and name on one visual line of the layout output
            if not any(norm(r['post']) in norm(l) and norm(r['name']) in norm(l) for l in layout.split('\n')):
                bad.append(('attendee-line', r['post'], r['name']))
        for r in csv.DictReader(open(gold_dir + '/wg_meetings.csv', encoding='utf-8')):
            md = r['date_text']
            if not found(md, texts):
                bad.append(('wg', r['item_key'], md))
            if r['track'] and not found(r['track'], texts):
                bad.append(('wg-track', r['track']))
            if r['label'] and not found(r['label'], texts):
                bad.append(('wg-label', r['label']))
        for r in csv.DictReader(open(gold_dir + '/schedule.csv', encoding='utf-8')):
            if not found(r['date_text'], texts):
                bad.append(('sched-date', r['date_text']))
            if not found(r['event'], texts):
                bad.append(('sched-event', r['event']))
        for fn, cols in (('item_results.csv', ('topic', 'results', 'next_steps')), ('agenda_items.csv', ('title',)),
                         ('materials.csv', ('label', 'title')), ('items.csv', ('title',))):
            for r in csv.DictReader(open(gold_dir + '/' + fn, encoding='utf-8')):
                for c in cols:
                    for line in r[c].split('\n'):
                        if line and not found(line, texts):
                            bad.append((fn, c, line[:60]))
        print('%s: gold checks failed: %d' % (pdf, len(bad)))
        for b in bad:
            print('   GOLD-MISS:', b)


if __name__ == '__main__':
    main(*sys.argv[1:])
