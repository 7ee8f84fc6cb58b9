#!/usr/bin/env python3
"""Draws docs/plots/growth.svg, the growth curve of docs/performance.md (issue 20, item 5), from the p50s at one
client in its table: one line per question from 10,000 to 100,000 firms, on log scales. Standard library only;
run it after changing the table: python3 docs/plots/growth.py"""
import math

# question: (p50 ms at 10,000 firms, at 100,000 firms); None: failed.
rows = {
    "chain, Hebei firms": (18, 16), "firms by exposure": (25, 32), "open chokepoints": (19, 14),
    "regions stats": (56, 41), "regions R&amp;D links": (2029, None), "map (hydrogen)": (20, 22),
    "report (hydrogen)": (500, 4800), "gaps: city": (20, 171), "gaps: province": (21, 296),
    "scenario: firm": (16, 116), "scenario: city": (271, 2298), "scenario: Hebei": (1286, 12200),
    "changes: everything": (521, 5000),
}
W, H, L, R, T, B = 760, 460, 70, 210, 30, 50
lo, hi = 10, 20000
def y(ms): return T + (H - T - B) * (1 - (math.log10(ms) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))
x10, x100 = L + 40, W - R - 40
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18" font-size="13">p50 at one client (ms, log scale), 10,000 → 100,000 synthetic firms</text>']
for ms in (10, 100, 1000, 10000):
    out.append(f'<line x1="{L}" x2="{W-R}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{L-8}" y="{y(ms)+4:.1f}" text-anchor="end">{ms:,}</text>')
for ms, label in ((100, "100 ms target"), (1000, "1 s")):
    out.append(f'<line x1="{L}" x2="{W-R}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#c33" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{L+4}" y="{y(ms)-4:.1f}" fill="#c33">{label}</text>')
for x, label in ((x10, "10,000"), (x100, "100,000")):
    out.append(f'<text x="{x}" y="{H-B+18}" text-anchor="middle">{label} firms</text>')
placed = []
for name, (a, b) in sorted(rows.items(), key=lambda r: -(r[1][1] or 30000)):
    grows = b is None or b > 3 * a
    color = "#c60" if grows else "#27a"
    yb = y(b) if b else T
    out.append(f'<line x1="{x10}" x2="{x100}" y1="{y(a):.1f}" y2="{yb:.1f}" stroke="{color}" stroke-width="1.6"'
               + (' stroke-dasharray="5 3"' if b is None else '') + '/>')
    out.append(f'<circle cx="{x10}" cy="{y(a):.1f}" r="2.5" fill="{color}"/>')
    ly = yb
    while any(abs(ly - p) < 12 for p in placed):
        ly += 12
    placed.append(ly)
    out.append(f'<text x="{x100+8}" y="{ly+4:.1f}" fill="{color}">{name}{" (fails)" if b is None else ""}</text>')
out.append('</svg>')
open(__file__.replace("growth.py", "growth.svg"), "w").write("\n".join(out) + "\n")
