"""Dashboard charts as SVG rendered on the server with pygal (no JavaScript: pygal's own
script, fetched from the web by default, is switched off)."""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#57606a",
    colors=("#7a1f1f", "#0b57b0", "#9a6700", "#116329", "#6e40c9"),
    font_family="DejaVu Sans, sans-serif",
)


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)


def _svg(chart: pygal.Graph) -> bytes:
    """The chart's SVG without pygal's inline tooltip script (shown as <img>, it never runs)."""
    return _SCRIPT.sub(b"", bytes(chart.render()))


def _config(chart: pygal.Graph, title: str) -> pygal.Graph:
    chart.config.js = []  # no script from a CDN
    chart.config.disable_xml_declaration = False
    chart.title = title
    return chart


def bars(title: str, values: dict[str, int], horizontal: bool = True) -> bytes:
    """One bar per label, in the given order."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = _config(
        kind(
            style=STYLE,
            width=720,
            height=max(240, 40 * len(values) + 120),
            show_legend=False,
            print_values=True,
            label_font_size=13,
            major_label_font_size=13,
            value_font_size=14,
            title_font_size=16,
            js=[],
        ),
        title,
    )
    items = list(values.items())
    if horizontal:
        items.reverse()  # pygal draws horizontal bars bottom-up; keep the first on top
    chart.x_labels = [label for label, _ in items]
    top = max([n for _, n in items] + [1])
    step = max(1, top // 5)
    chart.y_labels = list(range(0, top + step, step))  # whole cases, no 0.1 ticks
    chart.add("Perkara", [n for _, n in items])
    return _svg(chart)


def funnel(title: str, values: dict[str, int]) -> bytes:
    chart = _config(pygal.Funnel(style=STYLE, width=720, height=360, js=[]), title)
    for label, n in values.items():
        chart.add(label, [n])
    return _svg(chart)
