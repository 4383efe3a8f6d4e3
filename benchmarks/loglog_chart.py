"""A log-log line chart as a standalone SVG, for benchmarks/library.py's cost-growth figures.

Written by hand because the project carries no plotting library (altair needs a browser or
vl-convert to render offline, matplotlib is not a dependency) and the chart is a few lines."""

from __future__ import annotations

import math
from html import escape

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _log_ticks(low: float, high: float) -> list[float]:
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10 ** exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks or [low, high]


def _label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def panel(title: str, x_label: str, y_label: str, series: dict[str, list[tuple[float, float]]],
          width: int = 460, height: int = 400, offset_x: int = 0) -> str:
    """One panel: each series a list of (x, y) points with x, y > 0."""
    points = [p for values in series.values() for p in values if p[0] > 0 and p[1] > 0]
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_low, x_high = min(xs) / 1.3, max(xs) * 1.3
    y_low, y_high = min(ys) / 1.5, max(ys) * 1.5
    left, top, right = 60, 30, 20
    bottom = 50 + 16 * len(series)  # the legend sits under the axis, clear of the lines
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return offset_x + left + plot_w * (math.log10(x) - math.log10(x_low)) / (math.log10(x_high) - math.log10(x_low))

    def sy(y: float) -> float:
        return top + plot_h * (1 - (math.log10(y) - math.log10(y_low)) / (math.log10(y_high) - math.log10(y_low)))

    parts = [f'<text x="{offset_x + left}" y="18" font-weight="bold">{escape(title)}</text>',
             f'<rect x="{offset_x + left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for tick in _log_ticks(x_low, x_high):
        parts.append(f'<line x1="{sx(tick):.1f}" y1="{top}" x2="{sx(tick):.1f}" y2="{top + plot_h}" stroke="#eee"/>'
                     f'<text x="{sx(tick):.1f}" y="{top + plot_h + 15}" text-anchor="middle">{_label(tick)}</text>')
    for tick in _log_ticks(y_low, y_high):
        parts.append(f'<line x1="{offset_x + left}" y1="{sy(tick):.1f}" x2="{offset_x + left + plot_w}" '
                     f'y2="{sy(tick):.1f}" stroke="#eee"/>'
                     f'<text x="{offset_x + left - 5}" y="{sy(tick) + 4:.1f}" text-anchor="end">{_label(tick)}</text>')
    parts.append(f'<text x="{offset_x + left + plot_w / 2}" y="{top + plot_h + 32}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text x="{offset_x + 14}" y="{top + plot_h / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 {offset_x + 14} {top + plot_h / 2})">{escape(y_label)}</text>')
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        kept = [(x, y) for x, y in values if x > 0 and y > 0]
        if not kept:
            continue
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in kept)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in kept]
        legend_y = top + plot_h + 52 + 16 * index
        parts.append(f'<line x1="{offset_x + left + 8}" y1="{legend_y - 4}" x2="{offset_x + left + 26}" '
                     f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"/>'
                     f'<text x="{offset_x + left + 30}" y="{legend_y}">{escape(name)}</text>')
    return "\n".join(parts)


def chart(panels: list[dict], width: int = 460, height: int = 400) -> str:
    """An SVG of panels side by side; each dict holds panel()'s arguments."""
    body = "\n".join(panel(**spec, width=width, height=height, offset_x=i * width) for i, spec in enumerate(panels))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(panels)}" height="{height}" '
            f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n'
            f"{body}\n</svg>\n")
