#!/usr/bin/env python3
"""The watch list's growth chart (docs/BENCHMARKS.md) as an SVG line chart.

    python3 docs/growth_chart.py docs/watchlist-growth.csv docs/watchlist-growth.svg

The CSV has one row per measured world: providers, history (1 or 10),
library_ms (typed rows), raw_ms and json_ms (the list as --json prints it):
median CPU milliseconds, carewatch_growth's figures.
Providers go on a logarithmic x axis, time on a logarithmic y axis, one line
per side and history; no library beyond Python's own.
"""
import csv
import math
import sys

W, H = 760, 480
LEFT, RIGHT, TOP, BOTTOM = 80, 250, 40, 60
SERIES = [  # (side, history, colour, dash, label)
    ("json_ms", "1", "#85994b", "", "the list as --json prints it, 1× history"),
    ("json_ms", "10", "#85994b", "6 4", "the list as --json prints it, 10× history"),
    ("library_ms", "1", "#1d70b8", "", "cw_watchlist_rows, 1× history"),
    ("library_ms", "10", "#1d70b8", "6 4", "cw_watchlist_rows, 10× history"),
    ("raw_ms", "1", "#d4351c", "", "raw-SQL watch list, 1× history"),
    ("raw_ms", "10", "#d4351c", "6 4", "raw-SQL watch list, 10× history"),
]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def main(src, dst):
    rows = list(csv.DictReader(open(src, newline="")))
    xs = [float(r["providers"]) for r in rows]
    ys = [float(r[k]) for r in rows for k in ("library_ms", "raw_ms", "json_ms")]
    x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    y0 = math.floor(math.log10(min(ys)))
    y1 = math.ceil(math.log10(max(ys)))

    def px(x):
        return LEFT + (math.log10(x) - x0) / (x1 - x0) * (W - LEFT - RIGHT)

    def py(y):
        return H - BOTTOM - (math.log10(y) - y0) / (y1 - y0) * (H - TOP - BOTTOM)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="Arial, sans-serif" font-size="12">',
           '<title>Watch list time by number of providers</title>',
           f'<rect width="{W}" height="{H}" fill="#fff"/>',
           f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold">'
           'Watch list: median CPU time per call (ms, log scale)</text>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g}</text>')
    for x in sorted(set(xs)):
        out.append(f'<line x1="{px(x):.1f}" y1="{TOP}" x2="{px(x):.1f}" y2="{H - BOTTOM}" '
                   'stroke="#eee"/>')
        out.append(f'<text x="{px(x):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle">'
                   f'{int(x):,}</text>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 15}" text-anchor="middle">'
               'providers (log scale)</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" '
               f'height="{H - TOP - BOTTOM}" fill="none" stroke="#0b0c0c"/>')
    ly = TOP + 10
    for key, hist, colour, dash, label in SERIES:
        pts = sorted((float(r["providers"]), float(r[key])) for r in rows
                     if r["history"] == hist)
        if not pts:
            continue
        d = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" '
                   f'stroke-width="2.5"{extra}/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}">'
                       f'<title>{esc(label)}: {int(x):,} providers, {y:.1f} ms</title></circle>')
        out.append(f'<line x1="{W - RIGHT + 12}" y1="{ly}" x2="{W - RIGHT + 40}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2.5"{extra}/>')
        words = label.split(", ")
        out.append(f'<text x="{W - RIGHT + 46}" y="{ly + 4}">{esc(words[0])}</text>')
        out.append(f'<text x="{W - RIGHT + 46}" y="{ly + 18}" fill="#505a5f">'
                   f'{esc(words[1])}</text>')
        ly += 40
    out.append("</svg>")
    open(dst, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: growth_chart.py TABLE.csv OUT.svg")
    main(sys.argv[1], sys.argv[2])
