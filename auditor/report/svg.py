"""Small inline SVG charts: no scripts, no fonts to fetch, readable offline and in print."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = {
    "missing_history": "#1f77b4",
    "unclear_rationale": "#d62728",
    "optimism": "#ff7f0e",
    "identifier": "#7f7f7f",
    "high": "#b2182b",
    "medium": "#ef8a62",
    "low": "#fddbc7",
    "confirmed": "#1a9850",
    "dismissed": "#878787",
    "unsure": "#fee08b",
    "undecided": "#d9d9d9",
}


def colour(name: str) -> str:
    """The chart colour for a category, severity or verdict."""
    return PALETTE.get(name, "#9467bd")


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    width: int = 720,
    bar_height: int = 22,
) -> str:
    """Horizontal stacked bars, one row per label, one colour per series, with a legend."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    largest = max(totals, default=0) or 1
    label_width, plot = 190, width - 260
    height = 40 + bar_height * len(labels) + 30
    parts = [_open(title, width, height), f'<text x="0" y="16" class="t">{escape(title)}</text>']
    for i, label in enumerate(labels):
        y = 30 + i * bar_height
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        x = float(label_width)
        for name, values in series.items():
            w = plot * values[i] / largest
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" '
                    f'fill="{colour(name)}"><title>{escape(name)}: {values[i]}</title></rect>'
                )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{totals[i]}</text>')
    parts.append(_legend(list(series), height - 12))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[int]], width: int = 720) -> str:
    """Vertical stacked columns over time (e.g. months), one colour per series."""
    height, top, bottom = 260, 30, 200
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    largest = max(totals, default=0) or 1
    step = (width - 60) / max(len(labels), 1)
    parts = [_open(title, width, height), f'<text x="0" y="16" class="t">{escape(title)}</text>']
    parts.append(f'<line x1="40" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#444"/>')
    parts.append(f'<text x="36" y="{top + 10}" text-anchor="end">{largest}</text>')
    for i, label in enumerate(labels):
        x = 44 + i * step
        y = float(bottom)
        for name, values in series.items():
            h = (bottom - top) * values[i] / largest
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(step - 3, 1):.1f}" height="{h:.1f}" '
                    f'fill="{colour(name)}"><title>{escape(label)} {escape(name)}: {values[i]}</title></rect>'
                )
        if len(labels) <= 24 or i % max(1, len(labels) // 12) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{bottom + 14}" text-anchor="middle" class="s">{escape(label)}</text>'
            )
    parts.append(_legend(list(series), height - 12))
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
    )


def _legend(names: list[str], y: int) -> str:
    parts, x = [], 0
    for name in names:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour(name)}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}">{escape(name.replace("_", " "))}</text>')
        x += 24 + 8 * len(name)
    return "".join(parts)
