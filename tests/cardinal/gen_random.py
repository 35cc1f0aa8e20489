#!/usr/bin/env python3
"""gen_random.py SEED N [mixed|outliers|losers] - N random OCDS compiled releases (JSON
lines) that reach the corners of the cardinal-rs indicators, for the differential test
of ferret's `detect cardinal` against tests/cardinal/r*.sql.  Unlike `ferret gen --ocds`
(plausible data), it mixes in the shapes the rules must skip or count exactly: statuses
missing or not strings, numbers where strings belong, 1 vs 1.0, two currencies, RFC 3339
variants (offsets, fractions, leap seconds, invalid dates, space separator), bids with 0
or 2 tenderers, awards with 2 suppliers, ties in amounts, cancelled tenders.
  mixed     odd shapes often, amounts at random (no outlier indicator has a fence > 0);
  outliers  odd shapes rarely, second-lowest bids close to the winner's with a few far
            below and above (R024, R058), buyers and a tenderer that disqualify often
            (R038), cover bidders that bid everywhere and rarely win (R025), suppliers of
            many classes (R048);
  losers    as outliers, but most second-lowest bids exactly 10% above (Q1 = Q3: the
            fences equal data values), plus many tenderers that never win (R025: Q1 = Q3 = 0).
Deterministic for a given SEED and N."""
import json
import random
import sys

seed, n = int(sys.argv[1]), int(sys.argv[2])
profile = sys.argv[3] if len(sys.argv) > 3 else 'mixed'
if profile not in ('mixed', 'outliers', 'losers'): sys.exit('gen_random.py: unknown profile ' + profile)
rnd = random.Random(seed)
pick = rnd.choice
odd = 0.25 if profile == 'mixed' else 0.03        # how often a shape is odd


def chance(p): return rnd.random() < p


tenderers = ['T%02d' % i for i in range(40)]
covers = ['C1', 'C2'] if profile != 'mixed' else []
losers = ['L%03d' % i for i in range(150)] if profile == 'losers' else []
buyers = ['B%d' % i for i in range(12)]          # B0, B1 disqualify most bids (outliers)
codes = ['10', '11', '12', '30', '31', '45', '72', '79', 'ÄÖ', '9']


def stamp(t):
    """An RFC 3339 text for t seconds after 2024-01-01, or now and then a near miss."""
    day, sec = t // 86400, t % 86400
    base = '2024-%02d-%02dT%02d:%02d:%02d' % (1 + (day // 28) % 12, 1 + day % 28, sec // 3600, sec // 60 % 60, sec % 60)
    if not chance(odd * 2): return base + pick(['Z', 'Z', '+00:00', '.5Z'])
    return pick([base + '.%dZ' % rnd.randrange(1, 10**rnd.randrange(1, 11)), base + '+01:00', base + '-05:30',
                 base + 'z', base.replace('T', ' ') + 'Z', base.replace('T', 't') + 'Z',
                 '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-02-29T23:59:60Z', base[:17] + '60Z',
                 base, base + '+24:00', base[:10], base + '+05:30 ', '0000-03-01T00:00:00Z'])


def party(pool):
    if not chance(odd): return {'id': pick(pool)}
    return pick([{'id': rnd.randrange(5)}, {'name': 'no id'}, {'id': None}])


def status(weights):
    """A status drawn from (value, weight) pairs, or an odd one."""
    if chance(odd / 2): return pick([None, 3, 'Valid'])
    return rnd.choices([v for v, _ in weights], [w for _, w in weights])[0]


def tenderers_of(who, partner):
    if not chance(odd): return [{'id': who}]
    return pick([[{'id': who}, {'id': partner}], [{'id': partner}, {'id': who}], [{'id': who}, {'id': who}],
                 [{'id': 7}], [], [{}]])


def value(amount, i):
    # the first observed currency is the main one: only 'mixed' may start with EUR
    cur = 'EUR' if chance(odd / 3) and (profile == 'mixed' or i >= 50) else 'USD'
    if not chance(odd): return {'amount': amount, 'currency': cur}
    return pick([{'amount': amount}, {'currency': cur}, {'amount': str(amount), 'currency': cur},
                 [{'amount': amount, 'currency': cur}], {'amount': int(amount), 'currency': cur}, None])


def process(i):
    rel = {'ocid': 'ocds-%d-%d' % (seed, i)}
    end = None
    buyer = pick(buyers) if not chance(0.02) else 'R%d' % i    # now and then a buyer seen once
    if not chance(odd / 4):
        t = {}
        if chance(0.05): t['status'] = 'cancelled'
        elif chance(0.5): t['status'] = pick(['active', 'complete', 7])
        if not chance(odd / 2): t['procurementMethod'] = pick(['open', 'open', 'selective', 'limited', 'direct'])
        else: t['procurementMethod'] = pick([1, 'Open', None])
        nt = pick([1, 1, 2, 3] + ([1.0, '1', -1, None] if chance(odd) else []))
        if nt is not None: t['numberOfTenderers'] = nt
        if chance(0.3): t['procurementMethodDetails'] = pick(['Licitación', 'NPC', 'EXC', 'x'])
        if chance(0.92):
            start = rnd.randrange(300 * 86400)
            length = pick([14 * 86400 + 86399, 15 * 86400, 15 * 86400 - 1, 14 * 86400, 30 * 86400, 3 * 86400,
                           -86400, 0, rnd.randrange(40 * 86400)])
            end = start + length
            t['tenderPeriod'] = {'startDate': stamp(start), 'endDate': stamp(end)}
        if chance(0.85): t['procuringEntity'] = party(buyers[::-1])
        rel['tender'] = t
    if chance(0.9): rel['buyer'] = party([buyer])
    # the bidders: the winner first, then others (cover bidders join half the processes)
    winner, partner = pick(tenderers), pick(tenderers)   # partner: the second tenderer / supplier, when two
    others = rnd.sample([x for x in tenderers if x != winner], pick([0, 1, 1, 2, 2, 3, 4]))
    others += ['R%d' % i] if chance(0.05) else []        # a tenderer seen once (below the R038 minimum)
    others += [c for c in covers if chance(0.5)] + [x for x in losers if chance(0.03)]
    if chance(0.05 if covers else 0):
        winner, others = pick(covers), others + [winner]       # a cover bidder wins, rarely
    base = pick([100, 1000, 250, 80, 99.5, 1e3])
    disq = 0.7 if buyer in ('B0', 'B1') and profile != 'mixed' else 0.15
    bids = []
    for k, who in enumerate([winner] + others):
        if profile == 'mixed':
            amount = pick([100, 100.0, 101, 105, 110, 120, 150, 200, 250, 1000, 99.5, 0.5])
        elif k == 0:
            amount = base
        else:   # mostly 8-12% above the winner (losers: exactly 10%, so that the quartiles
                # and fences equal data values), a few within 0.1%, a few 2-5 times
            r = rnd.random()
            if profile == 'losers': gap = 0.1 if r < 0.9 else pick([0.0, 0.001]) if r < 0.95 else pick([2.0, 5.0])
            else: gap = pick([0.08, 0.09, 0.1, 0.11, 0.12]) if r < 0.8 else rnd.randrange(1, 3000) / 10000 \
                if r < 0.9 else pick([0.0, 0.001]) if r < 0.95 else pick([2.0, 5.0])   # a continuum near the fences
            amount = round(base * (1 + gap) + (rnd.randrange(3) * 0.25 if profile == 'outliers' else 0), 2)
        st = status([('valid', 1 - disq - 0.1), ('disqualified', disq if who != 'T05' else 0.8), ('pending', 0.04),
                     ('invited', 0.03), ('withdrawn', 0.03)])
        if k == 0 and profile != 'mixed' and not chance(odd): st = 'valid'
        if who[0] == 'R': st = 'disqualified'     # one bid only: counts for R038 below its minimum
        b = {} if st is None else {'status': st}
        if not chance(odd / 2): b['tenderers'] = tenderers_of(who, partner)
        v = value(amount, i)
        if v is not None: b['value'] = v
        if end is not None and chance(0.6): b['date'] = stamp(max(0, end + pick([-86400, -1, 0, 1, 3600, 3 * 86400])))
        bids.append(b)
    rnd.shuffle(bids) if chance(0.3) else None
    if chance(0.93): rel['bids'] = {'details': bids} if not chance(odd / 5) else {'details': {}}
    awards = []
    for _ in range(pick([1, 1, 1, 1, 1, 2, 0]) if not chance(odd) else pick([2, 3])):
        a = {}
        st = status([('active', 0.85), ('cancelled', 0.05), ('unsuccessful', 0.04), ('pending', 0.03), ('invalid', 0.03)])
        if st is not None: a['status'] = st
        if not chance(odd): a['suppliers'] = [{'id': winner}]
        else: a['suppliers'] = pick([[{'id': winner}, {'id': partner}], [{'name': 'no id'}], {'id': winner}])
        if chance(0.92):
            spread = 8 if winner in ('T00', 'T01') else 2      # T00, T01 supply many classes
            first = sum(map(ord, winner)) % len(codes)
            a['items'] = [{'classification': {'id': codes[(first + rnd.randrange(spread)) % len(codes)] + '000000'}}
                          if not chance(odd) else pick([{'classification': {'id': 5}}, {}, {'classification': None}])
                          for _ in range(rnd.randrange(0, 4))]
        awards.append(a)
    if chance(0.93): rel['awards'] = awards
    return rel


for i in range(n):
    print(json.dumps(process(i), ensure_ascii=chance(0.5)))
