"""Server-rendered SVG charts (pygal): no JavaScript, served as images."""
from __future__ import annotations

import re

import pygal
from pygal.style import Style

from .. import policy
from ..services.stats import Stats

FLAG_COLOURS = policy.colours()

_STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1f2933",
               foreground_strong="#1f2933", foreground_subtle="#cbd2d9",
               font_family="system-ui, sans-serif", label_font_size=12,
               major_label_font_size=12, legend_font_size=13, title_font_size=15,
               colors=tuple(FLAG_COLOURS.values()))

_COMMON = {"style": _STYLE, "js": [], "disable_xml_declaration": False, "width": 860,
           "height": 340, "legend_at_bottom": True, "print_values": False,
           "show_y_guides": True}


_SCRIPT = re.compile(rb"<script\b[^>]*>.*?</script>", re.S)


def _render(chart) -> bytes:
    """The SVG without pygal's inline config script: the chart is a still image."""
    return _SCRIPT.sub(b"", chart.render())


def flags_per_day(stats: Stats) -> bytes:
    chart = pygal.StackedBar(title="Flagged comments per day", x_label_rotation=-45,
                             show_minor_x_labels=False, **_COMMON)
    days = stats.day_list
    chart.x_labels = [d.strftime("%d %b") for d in days]
    chart.x_labels_major = chart.x_labels[::max(1, len(days) // 10)]
    for flag in FLAG_COLOURS:
        counts = stats.per_day.get(flag, {})
        chart.add(flag, [counts.get(d, 0) for d in days])
    return _render(chart)


def time_to_decision(stats: Stats) -> bytes:
    chart = pygal.Bar(title="Time to decision by urgency (minutes)", **{
        **_COMMON, "style": Style(**{**_STYLE.to_dict(), "colors": ("#3e7cb1", "#1f4e79")})})
    chart.x_labels = [t.flag for t in stats.times]
    chart.add("median", [round(t.median_minutes, 1) if t.median_minutes is not None else None
                         for t in stats.times])
    chart.add("90th percentile", [round(t.p90_minutes, 1) if t.p90_minutes is not None
                                  else None for t in stats.times])
    return _render(chart)


CHARTS = {"flags-per-day": flags_per_day, "time-to-decision": time_to_decision}
