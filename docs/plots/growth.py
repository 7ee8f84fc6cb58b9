#!/usr/bin/env python3
"""Draws the growth curves of docs/performance.md (issue 20, item 5) from the p50s at one client in its tables, one
line per question, on log scales: growth.svg, 10,000 → 100,000 firms (s6's build), growth-300k.svg,
100,000 → 300,000 firms (s12's build, one run on each size), and growth-1m.svg, 100,000 → 1,000,000 firms (s14:
the build before kept answers, and the scenarios again with them, "kept"). Standard library only; run it after changing a
table: python3 docs/plots/growth.py"""
import math

# question: (p50 ms at the smaller size, at the larger); None: failed.
s6 = {
    "chain, Hebei firms": (18, 16), "firms by exposure": (25, 32), "open chokepoints": (19, 14),
    "regions stats": (56, 41), "regions R&amp;D links": (2029, None), "map (hydrogen)": (20, 22),
    "report (hydrogen)": (500, 4800), "gaps: city": (20, 171), "gaps: province": (21, 296),
    "scenario: firm": (16, 116), "scenario: city": (271, 2298), "scenario: Hebei": (1286, 12200),
    "changes: everything": (521, 5000),
}
# Where hey gave no p50 (a round with too few answers), the mean from its rate.
s12 = {
    "chain, Hebei firms": (21, 17), "firms by exposure": (29, 60), "open chokepoints": (14, 19),
    "regions stats": (60, 49), "regions R&amp;D links": (35, 33), "map (hydrogen)": (17, 22),
    "report (hydrogen)": (124, 248), "gaps: city": (4, 5), "gaps: province": (4, 4),
    "scenario: firm": (57, 157), "scenario: city": (1066, 3590), "scenario: Hebei": (4840, 18100),
    "changes: everything": (31, 58),
}

# s14: A = 90f69c4 (every scenario computed); the "kept" rows are this session's build asking again. Hebei's
# scenario at 1,000,000 firms outlasts the 20 s request deadline (45 s alone, with the deadline raised).
s14 = {
    "chain, Hebei firms": (10, 11), "firms by exposure": (20, 55), "open chokepoints": (10, 12),
    "regions stats": (30, 28), "regions R&amp;D links": (16, 16), "map (hydrogen)": (8, 7),
    "report (hydrogen)": (80, 469), "gaps: city": (2, 2), "gaps: province": (3, 2),
    "scenario: firm": (37, 315), "scenario: city": (596, 7880), "scenario: Hebei": (3088, None),
    "changes: everything": (16, 13),
    "scenario: firm, kept": (3, 2), "scenario: city, kept": (8, 10), "scenario: Hebei, kept": (6, 26),
}


def draw(rows, sizes, title, name):
    W, H, L, R, T, B = 760, 460, 70, 210, 30, 50
    lo, hi = 1, 30000
    def y(ms): return T + (H - T - B) * (1 - (math.log10(ms) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))
    xa, xb = L + 40, W - R - 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="18" font-size="13">{title}</text>']
    for ms in (1, 10, 100, 1000, 10000):
        out.append(f'<line x1="{L}" x2="{W-R}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L-8}" y="{y(ms)+4:.1f}" text-anchor="end">{ms:,}</text>')
    for ms, label in ((100, "100 ms target"), (1000, "1 s")):
        out.append(f'<line x1="{L}" x2="{W-R}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#c33" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{L+4}" y="{y(ms)-4:.1f}" fill="#c33">{label}</text>')
    for x, label in ((xa, sizes[0]), (xb, sizes[1])):
        out.append(f'<text x="{x}" y="{H-B+18}" text-anchor="middle">{label} firms</text>')
    placed = []
    for q, (a, b) in sorted(rows.items(), key=lambda r: -(r[1][1] or 30000)):
        grows = b is None or b > 3 * a
        color = "#c60" if grows else "#27a"
        yb = y(b) if b else T
        out.append(f'<line x1="{xa}" x2="{xb}" y1="{y(a):.1f}" y2="{yb:.1f}" stroke="{color}" stroke-width="1.6"'
                   + (' stroke-dasharray="5 3"' if b is None else '') + '/>')
        out.append(f'<circle cx="{xa}" cy="{y(a):.1f}" r="2.5" fill="{color}"/>')
        ly = yb
        while any(abs(ly - p) < 12 for p in placed):
            ly += 12
        placed.append(ly)
        out.append(f'<text x="{xb+8}" y="{ly+4:.1f}" fill="{color}">{q}{" (fails)" if b is None else ""}</text>')
    out.append('</svg>')
    open(__file__.replace("growth.py", name), "w").write("\n".join(out) + "\n")


draw(s6, ("10,000", "100,000"), "p50 at one client (ms, log scale), 10,000 → 100,000 synthetic firms (s6)", "growth.svg")
draw(s12, ("100,000", "300,000"), "p50 at one client (ms, log scale), 100,000 → 300,000 synthetic firms (s12)", "growth-300k.svg")
draw(s14, ("100,000", "1,000,000"), "p50 at one client (ms, log scale), 100,000 → 1,000,000 synthetic firms (s14)", "growth-1m.svg")
