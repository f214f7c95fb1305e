"""Bar charts drawn on the server: the coordinates of every bar, label and gridline of an
SVG (the template draws them as <rect> and <text>; no script). Each chart keeps its numbers
so the page can give the same data as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 28  # room for the value axis and the month labels


@dataclass(frozen=True)
class Series:
    key: str  # a CSS class suffix: chart-bar-<key>
    label: str
    values: list[float]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    title: str  # the tooltip: category, series and value


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]
    series: list[Series]
    baseline: float
    left: int


def nice_ceiling(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at least ``value`` (and at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    top: float | None = None,
    unit: str = "",
) -> Chart:
    """Grouped bars: one group a category, one bar a series, on a shared axis from 0 to
    ``top`` (by default a round number above the largest value)."""
    largest = max((v for s in series for v in s.values), default=0)
    axis_top = top if top is not None else nice_ceiling(largest)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar_w = group * 0.8 / max(len(series), 1)
    baseline = TOP + plot_h
    bars = []
    for c, category in enumerate(categories):
        for s, one in enumerate(series):
            value = one.values[c]
            height = plot_h * min(value, axis_top) / axis_top if axis_top else 0
            bars.append(
                Bar(
                    x=round(LEFT + c * group + group * 0.1 + s * bar_w, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_w - 1, 1),
                    height=round(height, 1),
                    series=one.key,
                    title=f"{category}, {one.label}: {_number(value)}{unit}",
                )
            )
    ticks = [
        Tick(round(baseline - plot_h * f, 1), f"{_number(axis_top * f)}{unit}") for f in (0, 0.5, 1)
    ]
    labels = [Label(round(LEFT + (c + 0.5) * group, 1), text) for c, text in enumerate(categories)]
    return Chart(WIDTH, HEIGHT, bars, ticks, labels, series, baseline, LEFT)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
