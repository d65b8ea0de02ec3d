"""Geometry of the results page's bar chart, drawn by the template as inline SVG.

Pure: plain numbers in, plain numbers out. ``whole`` is the one rule for showing a score. One row per dimension: its name above a bar
for the score (0–100), a marker for the target and, when there is one, a thin bar for the
previous assessment's score. The template draws it with SVG presentation attributes and
CSS classes only (the CSP forbids ``style=``), so the page needs no chart JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.assessments.scoring import DIGITS

WIDTH = 300  # viewBox units: about one CSS pixel each in a card on a 360 px phone
PLOT_LEFT = 2  # room for a target marker drawn at 0
PLOT_WIDTH = 250  # 100 points = 250 units; the rest of the width holds the score
LABEL_HEIGHT = 16  # the dimension's name sits above its bar
LABEL_BASELINE = 12
BAR_HEIGHT = 14
PREVIOUS_GAP = 2
PREVIOUS_HEIGHT = 5
ROW_GAP = 10
MARKER_OVERHANG = 3
AXIS_HEIGHT = 16
TICK_VALUES = (0, 25, 50, 75, 100)


def whole(value: float) -> int:
    """The whole number shown for a score, everywhere one is shown: rounded down, so a shown score
    never reaches a level (or a target) the real one does not: 49.6 shows as 49 beside level 2,
    whose band ends below 50. Stored scores carry ``scoring.DIGITS`` decimals; averages computed in
    SQL may carry floating-point noise (49.99999999999 for 50), which is rounded away first."""
    return math.floor(round(value, DIGITS))


def shown(value: float | None) -> int | None:
    """``whole`` for a score that may be missing."""
    return None if value is None else whole(value)


def x_of(value: float) -> float:
    """The horizontal position of a score, clamped to the plot."""
    return round(PLOT_LEFT + min(max(value, 0.0), 100.0) * PLOT_WIDTH / 100, 2)


def length_of(value: float) -> float:
    return round(min(max(value, 0.0), 100.0) * PLOT_WIDTH / 100, 2)


@dataclass(frozen=True)
class ChartInput:
    """One dimension to draw: its code, its name, and scores on 0–100."""

    code: str
    label: str
    score: float | None
    target: float | None = None
    previous: float | None = None


@dataclass(frozen=True)
class ChartRow:
    code: str
    label: str
    score: int | None  # the whole number written at the end of the bar
    label_y: float
    bar_y: float
    bar_width: float
    value_y: float
    target_x: float | None
    marker_top: float
    marker_bottom: float
    previous_y: float | None
    previous_width: float | None


@dataclass(frozen=True)
class Tick:
    value: int
    x: float
    anchor: str  # SVG text-anchor: the first label starts at its tick so it is not cut off


@dataclass(frozen=True)
class BarChart:
    width: int
    height: float
    plot_left: float
    plot_right: float
    bar_height: int
    previous_height: int
    plot_width: int
    value_x: int
    axis_line_y: float
    axis_y: float
    has_previous: bool
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]


def bar_chart(inputs: Sequence[ChartInput]) -> BarChart:
    """Lay out one row per input, top to bottom in the given order."""
    has_previous = any(item.previous is not None for item in inputs)
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP + (PREVIOUS_GAP + PREVIOUS_HEIGHT if has_previous else 0)
    rows = []
    for index, item in enumerate(inputs):
        top = index * row_height
        bar_y = top + LABEL_HEIGHT
        previous_y = bar_y + BAR_HEIGHT + PREVIOUS_GAP
        rows.append(ChartRow(
            code=item.code,
            label=item.label,
            score=None if item.score is None else whole(item.score),
            label_y=top + LABEL_BASELINE,
            bar_y=bar_y,
            bar_width=0.0 if item.score is None else length_of(item.score),
            value_y=bar_y + BAR_HEIGHT - 3,
            target_x=None if item.target is None else x_of(item.target),
            marker_top=bar_y - MARKER_OVERHANG,
            marker_bottom=bar_y + BAR_HEIGHT + MARKER_OVERHANG,
            previous_y=previous_y if item.previous is not None else None,
            previous_width=None if item.previous is None else length_of(item.previous),
        ))
    rows_bottom = len(inputs) * row_height
    return BarChart(
        width=WIDTH,
        height=rows_bottom + AXIS_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_LEFT + PLOT_WIDTH,
        bar_height=BAR_HEIGHT,
        previous_height=PREVIOUS_HEIGHT,
        plot_width=PLOT_WIDTH,
        value_x=WIDTH,
        axis_line_y=rows_bottom - ROW_GAP / 2,
        axis_y=rows_bottom + AXIS_HEIGHT - 4,
        has_previous=has_previous,
        rows=tuple(rows),
        ticks=tuple(Tick(value, x_of(value), "start" if value == TICK_VALUES[0] else "middle")
                    for value in TICK_VALUES),
    )
