#!/usr/bin/env python3
"""Generates edge datasets under $WORK/edge/ and scheme variants under $WORK/schemes/
($WORK: the environment variable, default .build-reference in the repository)."""
import os, math, json, random, datetime, csv, io
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
X = os.environ.get('WORK', os.path.join(REPO, '.build-reference'))
random.seed(12345)
DEF = json.load(open(os.path.join(REPO, 'Datasets/schemes/default.json'), encoding='utf-8'))
LN = math.log(1.0 + 10000)
LC = math.log(1.0 + 1000)


def S100(w, amt, cnt, disc, Hraw):
    a = min(1.0, math.log(1.0 + float(amt)) / LN)
    f = min(1.0, math.log(1.0 + float(cnt)) / LC)
    P = w * (0.5 + 0.25 * a + 0.25 * f)
    D = disc / 4
    H = 1 - math.exp(-Hraw / 5)
    S = ((0.45 * P + 0.25 * D) + 0.30 * H) * 100
    return S * 100


def hraw_of(incs, asof):
    h = 0.0
    for d, kind, st in sorted(incs):
        age = (asof - d).days / 365.25
        if d > asof or age > 5:
            continue
        h = h + DEF['risk']['incident_kinds'][kind] * DEF['risk']['status_factors'][st] * math.pow(0.5, age / 2)
    return h


def boundary_posts(n_want):
    """find (kind, amount_str, count, disc, incidents) whose S*100 is within 1e-9 of k+0.5 (2025)"""
    kinds = [(k, v) for k, v in DEF['risk']['power_kinds'].items() if v >= 0.6]
    asof = datetime.date(2025, 12, 31)
    found = []
    tries = 0
    while len(found) < n_want and tries < 20000:
        tries += 1
        kind, w = random.choice(kinds)
        cnt = random.choice([0, 0, 3, 17, 250, 999])
        disc = random.randint(0, 4)
        incs = []
        if random.random() < 0.5:
            for _ in range(random.randint(1, 2)):
                incs.append((asof - datetime.timedelta(days=random.randint(0, 1800)),
                             random.choice(['信访举报', '诫勉谈话', '投诉']), random.choice(['属实', '部分属实', '待核实'])))
        H = hraw_of(incs, asof)
        lo, hi = S100(w, 0, cnt, disc, H), S100(w, 9999, cnt, disc, H)
        if hi - lo < 2:
            continue
        k = random.randint(math.ceil(lo), math.floor(hi) - 1)
        T = k + 0.5
        # bisection on amount (monotone)
        a, b = 0.0, 9999.0
        for _ in range(200):
            mid = (a + b) / 2
            if S100(w, mid, cnt, disc, H) < T:
                a = mid
            else:
                b = mid
        base = round(b, 10)
        best = []
        for step in range(-3000, 3001):
            s = '%.12f' % (base + step * 1e-12)
            v = S100(w, s, cnt, disc, H)
            dlt = v - T
            if abs(dlt) < 1e-9:
                best.append((abs(dlt), dlt, s, v))
        if not best:
            continue
        best.sort()
        # take the closest one, and one just below / just above if present
        exact = [x for x in best if x[1] == 0]
        picks = [best[0]] + exact[:1]
        below = [x for x in best if x[1] < 0]
        above = [x for x in best if x[1] > 0]
        if below: picks.append(below[0])
        if above: picks.append(above[0])
        for p in picks:
            found.append((kind, p[2], cnt, disc, incs, p[1], k))
    return found[:n_want]


def w(path, header, rows, enc='utf-8', crlf=False):
    def q(c):
        c = str(c)
        if c != c.strip(' \t') or any(ch in c for ch in ',"\r\n'):
            return '"' + c.replace('"', '""') + '"'
        return c
    nl = '\r\n' if crlf else '\n'
    txt = ''.join(','.join(q(c) for c in r) + nl for r in [header] + rows)
    open(path, 'wb').write(txt.encode(enc))


def edge1():
    d = os.path.join(X, 'edge', 'edge1'); os.makedirs(d, exist_ok=True)
    units = [['A', '总局', '', ''], ['A1', '一处', 'A', ''], ['A1a', '一处一科', 'A1', ''],
             ['B', '=B局', '', ''], ['C', 'C, "引号"\n换行局', '', ''], ['-U9', '+负号单位', '', ''],
             ['Q25', '配额25', 'B', ''], ['QT', '并列', 'B', ''], ['QT2', '三并列', 'B', ''],
             ['PM', '同类', 'C', ''], ['BD', '边界', 'C', ''], ['单位甲', '中文编号', 'C', '']]
    posts, powers, incs, ass, adj, rps = [], [], [], [], [], []
    inc_n = [0]

    def inc(pid, date, kind, st):
        inc_n[0] += 1
        incs.append(['X%04d' % inc_n[0], pid, date, kind, st])

    def assess(st, sid, total_h, year=2025):
        # split total hundredths over 4 indicators (max 25/25/30/20)
        mx = [2500, 2500, 3000, 2000]
        rem = total_h
        for (name, m) in zip(['领导重视', '目标具体', '注重成效', '材料详实'], mx):
            v = min(m, rem); rem -= v
            ass.append([year, st, sid, name, '%d.%02d' % (v // 100, v % 100)])
    # --- 3-deep tree with auto deductions rolled up
    posts.append(['T1', 'A1a', '科员', '综合', '', '5', '高', '0', '否'])
    powers.append(['T1', '审批', '行政许可', '1000', '10000', '4'])
    inc('T1', '2025-03-01', '诫勉谈话', '属实')       # auto 2 -> T1, A1a, A1, A
    inc('T1', '2025-12-31', '通报批评', 'verified')   # auto 1, dated last day of Y
    inc('T1', '2026-01-01', '党纪政纪处分', '属实')   # ignored (after as_of)
    inc('T1', '2024-12-31', '诫勉谈话', '属实')       # not in Y
    posts.append(['T2', 'A1', '科员', '综合', '', '5.00', '中', '', '是'])
    inc('T2', '2025-06-30', '提醒谈话', '属实')       # 0.5 auto
    posts.append(['T3', 'A', '科员', '综合', '', '4.99', '1', '0', 'yes'])
    powers.append(['T3', '采购', '物资采购', '5', '12.5', '3'])
    # window edges: days 1826 / 1827 before 2025-12-31; and for 2024 as well
    asof = datetime.date(2025, 12, 31)
    posts.append(['W1', 'A1a', '窗口', '综合', '', '', '2', '1', 'N'])
    for dd in (1826, 1827, 1461, 1460):
        inc('W1', (asof - datetime.timedelta(days=dd)).isoformat(), '信访举报', '属实')
    asof24 = datetime.date(2024, 12, 31)
    for dd in (1826, 1827):
        inc('W1', (asof24 - datetime.timedelta(days=dd)).strftime('%Y/%m/%d').replace('/0', '/'), '投诉', '部分属实')
    # floors by incidents: 3 years = 1095.75 days
    posts.append(['F1', 'A1a', '底线', '综合', '', '', '3', '2', '否'])
    inc('F1', (asof - datetime.timedelta(days=1095)).isoformat(), '党纪政纪处分', 'verified')
    posts.append(['F2', 'A1a', '底线2', '综合', '', '', 'Ⅲ', '', '否'])
    inc('F2', (asof - datetime.timedelta(days=1096)).isoformat(), '党纪政纪处分', '属实')
    # veto via incident (post V1 in A1 -> A1, A vetoed) ; via adjustment B
    posts.append(['V1', 'A1', '信贷', '综合', '', '6.50', 'III', '3', '否'])
    powers.append(['V1', '放贷', '资金管理', '2000', '20000', '4'])
    inc('V1', '2025.9.18', '司法追究', '属实')
    # big history in 2024 that leaves the window in 2025 -> negative SCORE_JUMP
    posts.append(['J1', 'A', '跳变', '综合', '', '', '', '', '否'])
    powers.append(['J1', '许可', '行政许可', '100', '100', '2'])
    for i in range(6):
        inc('J1', '2020-01-0%d' % (i + 2), '司法追究', '属实')
    posts.append(['J2', 'A', '跳变2', '综合', '', '', '', '', '否'])
    powers.append(['J2', '许可', '行政许可', '100', '100', '2'])
    for i in range(6):
        inc('J2', '2025年1月%d日' % (i + 2), '司法追究', '部分属实')
    # formula-injection ids, Chinese id
    for pid, u in (('-P1', '-U9'), ('=P2', '-U9'), ('+P3', '-U9'), ('@P4', '-U9'), ('\tP5', '-U9'), ('岗位甲', '单位甲')):
        posts.append([pid, u, '=名称', '', '', '8', '低', '0', '是'])
        powers.append([pid, '审批', '行政审批', '2000', '20000', '4'])
        inc(pid, '2025-05-05', '党纪政纪处分', '属实')
    # peer groups: catM 11 posts: 10 zero, 1 large -> MAD 0, MeanAD>0
    for i in range(11):
        pid = 'M%02d' % i
        posts.append([pid, 'PM', '同类', 'catM', '', '', '', '', ''])
        powers.append([pid, '检查', '监督检查', '10', '', '1'])
        if i == 7:
            inc(pid, '2025-02-02', '诫勉谈话', '属实'); inc(pid, '2025-03-02', '信访举报', '属实'); inc(pid, '2025-03-03', '投诉', '属实')
    # catZ: 6 posts all same nonzero Hraw -> MAD 0 and MeanAD 0
    for i in range(6):
        pid = 'Z%02d' % i
        posts.append([pid, 'PM', '同类', 'catZ', '', '', '', '', ''])
        powers.append([pid, '检查', '监督检查', '10', '', '1'])
        inc(pid, '2025-04-04', '党纪政纪处分', '属实')
    # blank category: 8 posts (even) with MAD>0 and one outlier
    hist = [0, 1, 1, 2, 2, 3, 3, 40]
    for i, nh in enumerate(hist):
        pid = 'N%02d' % i
        posts.append([pid, 'PM', '未分', '', '', '', '', '', ''])
        powers.append([pid, '检查', '监督检查', '10', '', '1'])
        for j in range(nh):
            inc(pid, '2025-%02d-%02d' % (1 + j % 12, 1 + j // 12), '信访举报', '属实')
    # explicit 未分类 category joins blank
    posts.append(['N99', 'PM', '未分', '未分类', '', '', '', '', ''])
    # boundary scores
    for i, (kind, amt, cnt, disc, bincs, dl, k) in enumerate(boundary_posts(24)):
        pid = 'BD%02d' % i
        posts.append([pid, 'BD', '边界%g' % dl, '边界', '', '', '', '', ''])
        powers.append([pid, '权', kind, str(cnt), amt, str(disc)])
        for (dd, kd, st) in bincs:
            inc(pid, dd.isoformat(), kd, st)
    # quota: Q25 25 posts all >= 90
    for i in range(25):
        pid = 'Q%02d' % i
        posts.append([pid, 'Q25', '配额', 'q', '', '', '', '', ''])
        assess('岗位', pid, 9000 + 17 * i)
    # QT: 10 posts, tie at boundary (2 allowed at share .15)
    qt = [(9500, 0), (9200, 0), (9200, 0), (9100, 0), (8000, 0), (8000, 0), (7000, 0), (7000, 0), (6000, 0), (5000, 0)]
    for i, (t, _) in enumerate(qt):
        pid = 'QT%02d' % i
        posts.append([pid, 'QT', '并列', 'q', '', '', '', '', ''])
        assess('post', pid, t)
    # QT2: 10 posts four-way tie, plus one vetoed with same total, and rank ties
    for i in range(10):
        pid = 'QU%02d' % i
        posts.append([pid, 'QT2', '三并列', 'q', '', '', '', '', ''])
        assess('POST', pid, 9300 if i < 4 else 8500)
    adj.append([2025, 'Post', 'QU08', 'veto', '', '否决'])
    adj.append([2025, 'post', 'QU09', '一票否决', '', '否决'])
    # deductions/bonus on posts with equal total but different deductions (not a tie)
    adj.append([2025, '岗位', 'QT01', '加分', '1.5', '奖'])
    adj.append([2025, '岗位', 'QT01', '扣分', '1.5', '=扣'])
    adj.append([2025, '岗位', 'QT03', 'bonus', '3', '奖'])
    adj.append([2025, '岗位', 'QT03', 'BONUS', '3.25', '奖'])
    adj.append([2025, '岗位', 'QT04', 'deduction', '90', '大扣'])
    # unit assessments
    for u, t in (('A', 9600), ('A1', 9500), ('A1a', 9400), ('B', 9900), ('C', 9100), ('-U9', 9100), ('Q25', 9000), ('QT', 9050), ('QT2', 9050)):
        assess('单位', u, t)
    adj.append([2025, 'unit', 'B', '一票否决', '', '否决,带逗号'])
    adj.append([2025, 'unit', 'C', '扣分', '0.25', '"引号"'])
    adj.append([2025, 'unit', 'QT2', '扣分', '0.5', 'x'])
    # a subject with only an adjustment (all indicators missing)
    adj.append([2025, '岗位', 'T2', '加分', '2', '仅加分'])
    # 2024 rows: ignored for 2025
    assess('post', 'T3', 8000, 2024)
    # risk points
    rp = [
        ['R01', 'T1', '思想道德', '，。', ''],
        ['R02', 'T3', 'moral', '“”（）', '  '],
        ['R03', 'W1', 'DUTY', '—…', 'x'],
        ['R04', 'T1', '业务流程', '收受\u3000礼品', '措施'],
        ['R05', 'F1', 'process', '收受礼品。', '措施'],
        ['R06', 'V1', '制度机制', '收受 礼品', ''],
        ['R07', 'J1', 'institution', '收受\u200b礼品', ''],
        ['R08', 'J2', 'external', '收受／礼品', ''],
        ['R09', '-P1', '外部环境', '=公式', '=措施'],
        ['R10', 'M00', '外部环境', 'A\u00a0B', ''],
        ['R11', 'M01', '外部环境', 'AB', ''],
        ['R12', 'M01', '外部环境', 'A B', ''],
    ]
    w(os.path.join(d, 'units.csv'), ['unit_id', 'name', 'parent_id', 'kind'], units)
    w(os.path.join(d, 'posts.csv'), ['post_id', 'unit_id', 'name', 'category', 'holder', 'tenure_years', 'self_level', 'controls', 'key_decisions'], posts)
    w(os.path.join(d, 'powers.csv'), ['post_id', 'power', 'kind', 'annual_count', 'amount', 'discretion'], powers)
    w(os.path.join(d, 'incidents.csv'), ['incident_id', 'post_id', 'date', 'kind', 'status'], incs)
    w(os.path.join(d, 'assessments.csv'), ['year', 'subject_type', 'subject_id', 'indicator', 'score'], ass)
    w(os.path.join(d, 'adjustments.csv'), ['year', 'subject_type', 'subject_id', 'type', 'points', 'reason'], adj)
    # risk_points with hand-written quoting (quoted '  ' measures kept; unquoted spaces trimmed)
    lines = ['point_id,post_id,type,description,measures']
    for r in rp:
        lines.append(','.join('"%s"' % c.replace('"', '""') if (c.strip() == '' and c) or any(ch in c for ch in ',"\n') else c for c in r))
    lines.append('R13,M02,moral,独一, \t ')
    lines.append('   ')
    lines.append('R14,M03,moral,"  独二" ,无')
    open(os.path.join(d, 'risk_points.csv'), 'w', encoding='utf-8').write('\n'.join(lines))  # no final newline
    # GB18030 + Chinese headers + shuffled columns + CRLF copy
    g = os.path.join(X, 'edge', 'edge1-gbk'); os.makedirs(g, exist_ok=True)
    import sys
    sys.path.insert(0, X)
    import ref
    for f in os.listdir(d):
        rows = ref.parse_csv(ref.decode(open(os.path.join(d, f), 'rb').read()))
        hdr = rows[0]
        al = ref.ALIASES[f]
        order = list(range(len(hdr)))
        random.shuffle(order)
        body = rows[1:]
        random.shuffle(body)
        w(os.path.join(g, f), [al[hdr[i]] for i in order], [[r[i] for i in order] for r in body], enc='gb18030', crlf=True)


def schemes():
    os.makedirs(os.path.join(X, 'schemes'), exist_ok=True)
    s = json.loads(json.dumps(DEF))
    s['assessment']['deduction_cap'] = 2.5
    s['assessment']['quota']['share'] = 0.58
    s['flags']['peer_z'] = 3.50
    s['flags']['rotation_years'] = 5
    s['level_floors'] = [
        {"level": "2", "key_decisions": True},
        {"level": "高", "incident_kinds": ["党纪政纪处分"], "statuses": ["verified", "部分属实"], "within_years": 3},
        {"level": "一级", "power_kinds": ["物资采购"]},
    ]
    json.dump(s, open(os.path.join(X, 'schemes', 'edge2.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
    # injection-prone level/band names, 4 levels
    s = json.loads(json.dumps(DEF))
    s['levels'] = [
        {"name": "-特级", "aliases": ["S"], "min_score": 75.5, "supervisor": "=党委"},
        {"name": "一级", "aliases": ["高", "1"], "min_score": 60, "supervisor": "主要领导"},
        {"name": "二级", "aliases": ["中", "2", "Ⅲ", "III", "低", "3", "Ⅱ"], "min_score": 40, "supervisor": "分管领导"},
        {"name": "@三级", "aliases": [], "min_score": 0, "supervisor": "+科室"}]
    s['assessment']['bands'] = [{"name": "=优秀", "min": 90}, {"name": "+良好", "min": 80.5}, {"name": "及格", "min": 60}, {"name": "-不及格", "min": 0}]
    s['assessment']['quota'] = {"band": "=优秀", "share": 0.5}
    s['flags']['score_jump'] = 10.0
    s['flags']['boilerplate_min_posts'] = 2
    json.dump(s, open(os.path.join(X, 'schemes', 'edge3.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
    s = json.load(open(os.path.join(X, 'schemes', 'edge2.json'), encoding='utf-8'))
    s['flags']['score_jump'] = 25.1   # V1's exact 2025 jump
    s['flags']['peer_min_hraw'] = 2.5
    s['assessment']['quota'] = None
    s['assessment']['deduction_cap'] = 3
    json.dump(s, open(os.path.join(X, 'schemes', 'edge4.json'), 'w', encoding='utf-8'), ensure_ascii=False)


if __name__ == '__main__':
    edge1()
    schemes()
