#!/usr/bin/env python3
"""cmp.py REFDIR PROGDIR : compare CSV outputs byte-wise, report first differences per file"""
import sys, os
FILES = ['posts.csv', 'assessments.csv', 'flags.csv', 'units.csv', 'risk_points.csv']
a, b = sys.argv[1], sys.argv[2]
maxd = int(sys.argv[3]) if len(sys.argv) > 3 else 8
ok = True
for f in FILES:
    A = open(os.path.join(a, f), 'rb').read(); B = open(os.path.join(b, f), 'rb').read()
    if A == B:
        print('MATCH   ', f); continue
    ok = False
    if not B.startswith(b'\xef\xbb\xbf'): print('  prog: no BOM')
    A = A.removeprefix(b'\xef\xbb\xbf').decode(); B = B.removeprefix(b'\xef\xbb\xbf').decode()
    ra, rb = A.split('\r\n'), B.split('\r\n')
    print('DIFFER  ', f, 'rows ref=%d prog=%d' % (len(ra), len(rb)))
    # key by first 3 fields
    n = 0
    for i in range(max(len(ra), len(rb))):
        x = ra[i] if i < len(ra) else '<none>'; y = rb[i] if i < len(rb) else '<none>'
        if x != y:
            xf, yf = x.split(','), y.split(',')
            cols = [j for j in range(max(len(xf), len(yf))) if (xf[j:j+1] != yf[j:j+1])]
            print('   row %d cols %s\n     ref : %s\n     prog: %s' % (i, cols, x, y))
            n += 1
            if n >= maxd: print('   ...'); break
print('ALL MATCH' if ok else 'SOME DIFFER')
