#!/usr/bin/env python3
"""Independent reference implementation of SPEC.md §2-§7 (CSV outputs only).
usage: ref.py DATA_DIR YEAR SCHEME.json OUTDIR
"""
import sys, os, json, math, datetime, re
from decimal import Decimal
from fractions import Fraction

ALIASES = {
    'units.csv': {'unit_id': '单位编号', 'name': '单位名称', 'parent_id': '上级单位编号', 'kind': '单位类型'},
    'posts.csv': {'post_id': '岗位编号', 'unit_id': '单位编号', 'name': '岗位名称', 'category': '岗位类别',
                  'holder': '在岗人员', 'tenure_years': '任职年限', 'self_level': '自评等级',
                  'controls': '防控措施数', 'key_decisions': '涉及三重一大'},
    'powers.csv': {'post_id': '岗位编号', 'power': '职权名称', 'kind': '职权类别', 'annual_count': '年行使次数',
                   'amount': '涉及金额', 'discretion': '裁量幅度'},
    'incidents.csv': {'incident_id': '编号', 'post_id': '岗位编号', 'date': '日期', 'kind': '类别', 'status': '核实情况'},
    'assessments.csv': {'year': '年度', 'subject_type': '对象类型', 'subject_id': '对象编号', 'indicator': '指标', 'score': '得分'},
    'adjustments.csv': {'year': '年度', 'subject_type': '对象类型', 'subject_id': '对象编号', 'type': '类型',
                        'points': '分值', 'reason': '事由'},
    'risk_points.csv': {'point_id': '风险点编号', 'post_id': '岗位编号', 'type': '风险类型', 'description': '风险表现',
                        'measures': '防控措施'},
}


def decode(b):
    try:
        s = b.decode('utf-8')
    except UnicodeDecodeError:
        s = b.decode('gb18030')
    if s.startswith('\ufeff'):
        s = s[1:]
    return s


def parse_csv(text):
    rows = []
    i, n = 0, len(text)
    row, field, quoted, after_quote = [], [], False, False
    inq = False
    while i <= n:
        c = text[i] if i < n else None
        if inq:
            if c is None:
                raise ValueError('unterminated quote')
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"'); i += 2; continue
                inq = False; after_quote = True; i += 1; continue
            if c == '\r' and i + 1 < n and text[i + 1] == '\n':
                field.append('\n'); i += 2; continue
            field.append(c); i += 1; continue
        if c is None or c in ',\r\n':
            f = ''.join(field)
            if quoted:
                row.append(f)
            else:
                row.append(f.strip(' \t'))
            field, quoted, after_quote = [], False, False
            if c == ',':
                i += 1; continue
            # end of record
            if not (len(row) == 1 and row[0] == '' and not quoted_flag[0]):
                rows.append(row)
            quoted_flag[0] = False
            row = []
            if c is None:
                break
            if c == '\r' and i + 1 < n and text[i + 1] == '\n':
                i += 2
            else:
                i += 1
            continue
        if c == '"' and not quoted and ''.join(field).strip(' \t') == '':
            inq = True; quoted = True; quoted_flag[0] = True; field = []; i += 1; continue
        if after_quote:
            if c in ' \t':
                i += 1; continue
            raise ValueError('text after closing quote')
        field.append(c); i += 1
    return rows


quoted_flag = [False]


def read_table(d, fname, required=True):
    p = os.path.join(d, fname)
    if not os.path.exists(p):
        if required:
            raise SystemExit('missing ' + fname)
        return []
    rows = parse_csv(decode(open(p, 'rb').read()))
    hdr = [h.strip() for h in rows[0]]
    al = ALIASES[fname]
    rev = {v: k for k, v in al.items()}
    cols = []
    for h in hdr:
        if h in al:
            cols.append(h)
        elif h in rev:
            cols.append(rev[h])
        else:
            cols.append(None)
    out = []
    for r in rows[1:]:
        rec = {k: '' for k in al}
        for j, c in enumerate(cols):
            if c is not None and j < len(r):
                rec[c] = r[j]
        out.append(rec)
    return out


def parse_date(s):
    m = re.fullmatch(r'(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})', s) or re.fullmatch(r'(\d{4})年(\d{1,2})月(\d{1,2})日', s)
    return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def hund(s):
    """decimal string with <=2 places -> integer hundredths"""
    d = Decimal(s)
    return int(d * 100)


def bkey(s):
    return s.encode('utf-8')


def shortest(x):
    d = Decimal(str(x)) if not isinstance(x, Decimal) else x
    s = format(d.normalize(), 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


def fmt_h(h):
    sign = '-' if h < 0 else ''
    h = abs(h)
    return '%s%d.%02d' % (sign, h // 100, h % 100)


STATUS = {'属实': '属实', 'verified': '属实', '部分属实': '部分属实', 'partial': '部分属实', '待核实': '待核实',
          'pending': '待核实', '不属实': '不属实', 'unfounded': '不属实', '': '待核实'}
SUBJ = {'单位': 'unit', 'unit': 'unit', '岗位': 'post', 'post': 'post'}
ADJ = {'加分': 'bonus', 'bonus': 'bonus', '扣分': 'deduction', 'deduction': 'deduction', '一票否决': 'veto', 'veto': 'veto'}
RPTYPE = {'思想道德': '思想道德', 'moral': '思想道德', '岗位职责': '岗位职责', 'duty': '岗位职责', '业务流程': '业务流程',
          'process': '业务流程', '制度机制': '制度机制', 'institution': '制度机制', '外部环境': '外部环境', 'external': '外部环境'}
BOOL = {'是': True, 'y': True, 'yes': True, 'true': True, '1': True, '否': False, 'n': False, 'no': False,
        'false': False, '0': False, '': False}


def status_of(s):
    return STATUS[s] if s in STATUS else STATUS[s.lower()]


def lk(d, s):
    return d[s] if s in d else d[s.lower()]


class Model:
    pass


def load(data_dir, scheme_path):
    m = Model()
    sch = json.load(open(scheme_path, encoding='utf-8'), parse_float=Decimal)
    m.sch = sch
    m.levels = sch['levels']
    m.level_idx = {}
    for i, L in enumerate(m.levels):
        m.level_idx[L['name']] = i
        for a in L.get('aliases', []):
            m.level_idx[a] = i
    m.units = {r['unit_id']: r for r in read_table(data_dir, 'units.csv')}
    m.posts = {r['post_id']: r for r in read_table(data_dir, 'posts.csv')}
    m.powers = {}
    for r in read_table(data_dir, 'powers.csv'):
        m.powers.setdefault(r['post_id'], []).append(r)
    m.incidents = {}
    for r in read_table(data_dir, 'incidents.csv'):
        r['d'] = parse_date(r['date'])
        r['st'] = status_of(r['status'])
        m.incidents.setdefault(r['post_id'], []).append(r)
    m.assess = read_table(data_dir, 'assessments.csv', False)
    m.adjust = read_table(data_dir, 'adjustments.csv', False)
    m.rpoints = read_table(data_dir, 'risk_points.csv', False)
    return m


def F(x):
    return float(x)


def risk(m, Y):
    """returns dict post_id -> (P,D,Hraw,H,score_h,level_idx,floor)"""
    rs = m.sch['risk']
    asof = datetime.date(Y, 12, 31)
    pk = {k: F(v) for k, v in rs['power_kinds'].items()}
    ik = {k: F(v) for k, v in rs['incident_kinds'].items()}
    sf = {k: F(v) for k, v in rs['status_factors'].items()}
    acap, ccap = F(rs['amount_cap']), F(rs['count_cap'])
    kdf = F(rs['key_decisions_floor'])
    hl, win, hs = F(rs['half_life_years']), F(rs['window_years']), F(rs['history_scale'])
    wp, wd, wh = F(rs['weights']['power']), F(rs['weights']['discretion']), F(rs['weights']['history'])
    res = {}
    for pid, p in m.posts.items():
        P = 0.0; D = 0.0
        pws = m.powers.get(pid, [])
        for i, pw in enumerate(pws):
            w = pk[pw['kind']]
            amt = float(pw['amount']) if pw['amount'] != '' else 0.0
            cnt = float(int(pw['annual_count'])) if pw['annual_count'] != '' else 0.0
            a = min(1.0, math.log(1.0 + amt) / math.log(1.0 + acap))
            f = min(1.0, math.log(1.0 + cnt) / math.log(1.0 + ccap))
            v = w * (0.5 + 0.25 * a + 0.25 * f)
            P = v if i == 0 else max(P, v)
            dd = (int(pw['discretion']) if pw['discretion'] != '' else 0) / 4
            D = dd if i == 0 else max(D, dd)
        kd = BOOL[p['key_decisions'].lower()]
        if kd:
            P = max(P, kdf)
        incs = sorted(m.incidents.get(pid, []), key=lambda r: (r['d'], bkey(r['incident_id'])))
        Hraw = 0.0
        for r in incs:
            if r['d'] > asof:
                continue
            age = (asof - r['d']).days / 365.25
            if age > win:
                continue
            h = ik[r['kind']] * sf[r['st']] * math.pow(0.5, age / hl)
            Hraw = Hraw + h
        H = 1 - math.exp(-Hraw / hs)
        S = ((wp * P + wd * D) + wh * H) * 100
        sh = math.floor(S * 100 + 0.5)
        sl = None
        for li, L in enumerate(m.levels):
            if Fraction(L['min_score']) <= Fraction(sh, 100):
                sl = li; break
        lvl = sl
        matching = []
        for fi, fl in enumerate(m.sch.get('level_floors', [])):
            ok = False
            if 'power_kinds' in fl:
                ok = any(pw['kind'] in fl['power_kinds'] for pw in pws)
            elif 'key_decisions' in fl:
                ok = kd
            elif 'incident_kinds' in fl:
                sts = {status_of(s) for s in fl['statuses']}
                wy = F(fl['within_years'])
                for r in incs:
                    if r['kind'] in fl['incident_kinds'] and r['st'] in sts and r['d'] <= asof:
                        age = (asof - r['d']).days / 365.25
                        if age <= wy:
                            ok = True
            if ok:
                matching.append((fi, m.level_idx[fl['level']]))
        for fi, li in matching:
            lvl = min(lvl, li)
        floor = ''
        if lvl < sl:
            for fi, li in matching:
                if li == lvl:
                    floor = str(fi + 1); break
        res[pid] = dict(P=P, D=D, Hraw=Hraw, H=H, sh=sh, lvl=lvl, floor=floor, kd=kd)
    return res


def assess(m, Y):
    a = m.sch['assessment']
    bands = a['bands']
    bonus_cap = hund(a['bonus_cap'])
    dcap = hund(a['deduction_cap']) if a['deduction_cap'] is not None else None
    autod = {k: hund(v) for k, v in a['auto_deductions'].items()}
    vetok = set(a['veto_kinds'])
    subj = {}

    def S(t, i):
        k = (t, i)
        if k not in subj:
            subj[k] = dict(type=t, id=i, base=0, bonus=0, ded=0, veto=False)
        return subj[k]
    for r in m.assess:
        if int(r['year']) != Y:
            continue
        s = S(lk(SUBJ, r['subject_type']), r['subject_id'])
        s['base'] += hund(r['score'])
    for r in m.adjust:
        if int(r['year']) != Y:
            continue
        s = S(lk(SUBJ, r['subject_type']), r['subject_id'])
        t = lk(ADJ, r['type'])
        if t == 'bonus':
            s['bonus'] += hund(r['points'])
        elif t == 'deduction':
            s['ded'] += hund(r['points'])
        else:
            s['veto'] = True
    # descendants
    children = {}
    for uid, u in m.units.items():
        children.setdefault(u['parent_id'] or None, []).append(uid)

    def subtree(uid):
        out = [uid]
        for c in children.get(uid, []):
            out += subtree(c)
        return out
    posts_of_unit = {}
    for pid, p in m.posts.items():
        posts_of_unit.setdefault(p['unit_id'], []).append(pid)
    for (t, i), s in subj.items():
        if t == 'post':
            pids = [i]
        else:
            pids = [pid for u in subtree(i) for pid in posts_of_unit.get(u, [])]
        for pid in pids:
            for r in m.incidents.get(pid, []):
                if r['st'] == '属实' and r['d'].year == Y:
                    s['ded'] += autod.get(r['kind'], 0)
                    if r['kind'] in vetok:
                        s['veto'] = True
        s['bonus'] = min(bonus_cap, s['bonus'])
        if dcap is not None:
            s['ded'] = min(dcap, s['ded'])
        s['total'] = max(0, s['base'] + s['bonus'] - s['ded'])
        if s['veto']:
            s['band'] = len(bands) - 1
        else:
            for bi, b in enumerate(bands):
                if hund(b['min']) <= s['total']:
                    s['band'] = bi; break
        s['quota'] = ''
        s['group'] = m.posts[i]['unit_id'] if t == 'post' else (m.units[i]['parent_id'] or None)
    groups = {}
    for s in subj.values():
        groups.setdefault((s['type'], s['group']), []).append(s)
    q = a['quota']
    for g, mem in groups.items():
        n = len(mem)
        if q is not None:
            qb = [b['name'] for b in bands].index(q['band'])
            share = Fraction(Decimal(q['share']))
            allow = math.floor(share * n + Fraction(1, 2))
            cands = [s for s in mem if s['band'] == qb]
            cands.sort(key=lambda s: (-s['total'], s['ded'], -s['base'], bkey(s['id'])))
            for k, s in enumerate(cands):
                if k < allow:
                    s['quota'] = 'kept'
                else:
                    s['quota'] = 'demoted'; s['band'] = qb + 1
            if 0 < allow < len(cands):
                x, y = cands[allow - 1], cands[allow]
                if (x['total'], x['ded'], x['base']) == (y['total'], y['ded'], y['base']):
                    x['quota'] = 'tie'; y['quota'] = 'tie'
        order = sorted(mem, key=lambda s: (s['veto'], -s['total']))
        prev = None
        for k, s in enumerate(order):
            key = (s['veto'], s['total'])
            if key != prev:
                rank = k + 1; prev = key
            s['rank'] = rank
    return subj


def median(v):
    v = sorted(v)
    n = len(v)
    if n % 2:
        return v[n // 2]
    return (v[n // 2 - 1] + v[n // 2]) / 2


def flags(m, Y, R, Rprev):
    fl = m.sch['flags']
    nlev = len(m.levels)
    out = {}  # pid -> list of (code,value,threshold)
    # peer
    cats = {}
    for pid, p in m.posts.items():
        cats.setdefault(p['category'] or '未分类', []).append(pid)
    z = {}
    for c, pids in cats.items():
        if len(pids) < int(fl['peer_min_group']):
            continue
        xs = [R[p]['Hraw'] for p in pids]
        med = median(xs)
        mad = median([abs(x - med) for x in xs])
        if mad != 0:
            for p in pids:
                z[p] = 0.6745 * (R[p]['Hraw'] - med) / mad
        else:
            s = 0.0
            for p in sorted(pids, key=bkey):
                s += abs(R[p]['Hraw'] - med)
            meanad = s / len(pids)
            if meanad != 0:
                for p in pids:
                    z[p] = (R[p]['Hraw'] - med) / (1.253314 * meanad)
    for pid, p in m.posts.items():
        r = R[pid]
        L = []
        if p['self_level'] != '':
            si = m.level_idx[p['self_level']]
            if si > r['lvl']:
                L.append(('UNDER_SELF_ASSESSED', m.levels[si]['name'], m.levels[r['lvl']]['name']))
        if pid in z and z[pid] >= float(fl['peer_z']) and r['Hraw'] >= float(fl['peer_min_hraw']):
            L.append(('PEER_OUTLIER', '%.2f' % z[pid], shortest(fl['peer_z'])))
        diff = r['sh'] - Rprev[pid]['sh']
        if Fraction(abs(diff), 100) >= Fraction(fl['score_jump']):
            L.append(('SCORE_JUMP', fmt_h(diff), shortest(fl['score_jump'])))
        if r['lvl'] == 0 and p['tenure_years'] != '' and Decimal(p['tenure_years']) >= Decimal(fl['rotation_years']):
            L.append(('ROTATION_OVERDUE', shortest(Decimal(p['tenure_years'])), shortest(fl['rotation_years'])))
        if r['lvl'] <= 1 and p['controls'] != '' and int(p['controls']) == 0:
            L.append(('NO_CONTROLS', '0', m.levels[r['lvl']]['name']))
        out[pid] = L
    return out


WS = set('\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000') | {chr(c) for c in range(0x2000, 0x200B)}
PUNCT = set('，。、；：？！“”‘’（）《》【】…—,.;:?!"\'()[]<>-')


def norm(s):
    return ''.join(ch for ch in s if ch not in WS and ch not in PUNCT)


def guard(s):
    if s and s[0] in '=+-@\t\r':
        return "'" + s
    return s


def cell(s):
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_csv(path, header, rows):
    with open(path, 'wb') as f:
        f.write(b'\xef\xbb\xbf')
        for r in [header] + rows:
            f.write((','.join(cell(c) for c in r) + '\r\n').encode('utf-8'))


def main():
    data, Y, scheme, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(out, exist_ok=True)
    m = load(data, scheme)
    R = risk(m, Y)
    Rp = risk(m, Y - 1)
    FL = flags(m, Y, R, Rp)
    pids = sorted(m.posts, key=bkey)
    G = guard
    rows = []
    for pid in pids:
        r = R[pid]; p = m.posts[pid]
        rows.append([str(Y), G(pid), G(p['unit_id']), '%.4f' % r['P'], '%.4f' % r['D'], '%.4f' % r['Hraw'],
                     '%.4f' % r['H'], fmt_h(r['sh']), G(m.levels[r['lvl']]['name']), r['floor'],
                     G(';'.join(c for c, _, _ in FL[pid]))])
    write_csv(os.path.join(out, 'posts.csv'), 'year,post_id,unit_id,power,discretion,history_raw,history,score,level,floor,flags'.split(','), rows)
    # flags
    rows = []
    for pid in pids:
        for c, v, t in FL[pid]:
            if c == 'UNDER_SELF_ASSESSED':
                v, t = G(v), G(t)
            elif c == 'NO_CONTROLS':
                t = G(t)
            rows.append([str(Y), G(pid), G(c), v, t])
    write_csv(os.path.join(out, 'flags.csv'), 'year,post_id,code,value,threshold'.split(','), rows)
    # assessments
    subj = assess(m, Y)
    bands = m.sch['assessment']['bands']
    rows = []
    for s in sorted(subj.values(), key=lambda s: (s['type'], bkey(s['id']))):
        rows.append([str(Y), s['type'], G(s['id']), fmt_h(s['base']), fmt_h(s['bonus']), fmt_h(s['ded']), fmt_h(s['total']),
                     'true' if s['veto'] else 'false', G(bands[s['band']]['name']), G(s['quota']), str(s['rank'])])
    write_csv(os.path.join(out, 'assessments.csv'), 'year,subject_type,subject_id,base,bonus,deductions,total,veto,band,quota_status,rank'.split(','), rows)
    # units
    rows = []
    for uid in sorted(m.units, key=bkey):
        u = m.units[uid]
        ps = [pid for pid in pids if m.posts[pid]['unit_id'] == uid]
        cnt = [0] * len(m.levels)
        for pid in ps:
            cnt[R[pid]['lvl']] += 1
        if ps:
            tot = sum(R[pid]['sh'] for pid in ps)
            n = len(ps)
            mean = (2 * tot + n) // (2 * n)
            ms, mx = fmt_h(mean), fmt_h(max(R[pid]['sh'] for pid in ps))
        else:
            ms = mx = ''
        flg = sum(1 for pid in ps if FL[pid])
        s = subj.get(('unit', uid))
        band = G(bands[s['band']]['name']) if s else ''
        rows.append([str(Y), G(uid), G(u['name']), str(len(ps))] + [str(c) for c in cnt] + [ms, mx, str(flg), band])
    write_csv(os.path.join(out, 'units.csv'), ['year', 'unit_id', 'name', 'posts'] + [G(L['name']) for L in m.levels] +
              ['mean_score', 'max_score', 'flagged_posts', 'band'], rows)
    # risk points
    bp = {}
    for rp in m.rpoints:
        bp.setdefault(norm(rp['description']), set()).add(rp['post_id'])
    minp = int(m.sch['flags']['boilerplate_min_posts'])
    rows = []
    for rp in sorted(m.rpoints, key=lambda r: bkey(r['point_id'])):
        pid = rp['post_id']; lv = R[pid]['lvl']
        has = rp['measures'] != ''
        f = []
        if lv <= 1 and not has:
            f.append('NO_MEASURES')
        if len(bp[norm(rp['description'])]) >= minp:
            f.append('BOILERPLATE')
        rows.append([str(Y), G(rp['point_id']), G(pid), G(m.posts[pid]['unit_id']), G(lk(RPTYPE, rp['type'])),
                     G(m.levels[lv]['name']), G(m.levels[lv]['supervisor']), 'true' if has else 'false', G(';'.join(f))])
    write_csv(os.path.join(out, 'risk_points.csv'), 'year,point_id,post_id,unit_id,type,level,supervisor,measures,flags'.split(','), rows)


if __name__ == '__main__':
    main()
