"""Geometry of the results bar chart: positions as plain numbers."""

import pytest

from app.results.chart import (
    BAR_HEIGHT,
    LABEL_BASELINE,
    LABEL_HEIGHT,
    PLOT_LEFT,
    PLOT_WIDTH,
    ChartInput,
    bar_chart,
    shown,
    whole,
)


@pytest.mark.parametrize(
    ("score", "bar_width", "shown"),
    [
        (0, 0.0, 0),
        (100, 250.0, 100),
        (58.333333, 145.83, 58),
        (66.666667, 166.67, 66),
        (12.5, 31.25, 12),  # rounded down, like every score shown
        (0.4, 1.0, 0),
        (-5, 0.0, -5),  # never drawn outside the plot
        (104, 250.0, 104),
    ],
)
def test_bar_length_is_two_and_a_half_units_per_point(score, bar_width, shown):
    row = bar_chart([ChartInput("finance", "Tài chính", score)]).rows[0]
    assert row.bar_width == bar_width
    assert row.score == shown


@pytest.mark.parametrize(
    ("target", "x"),
    [
        (0, PLOT_LEFT),
        (50, PLOT_LEFT + 125),
        (60, PLOT_LEFT + 150),
        (100, PLOT_LEFT + PLOT_WIDTH),
        (72.5, PLOT_LEFT + 181.25),
        (None, None),
    ],
)
def test_target_marker_position(target, x):
    row = bar_chart([ChartInput("finance", "Tài chính", 40, target=target)]).rows[0]
    assert row.target_x == x
    assert row.marker_top < row.bar_y and row.marker_bottom > row.bar_y + BAR_HEIGHT


DEFAULT_BANDS = ((0, 0), (15, 1), (30, 2), (50, 3), (70, 4), (85, 5))


def level_of(score: float) -> int:
    """The level of DESIGN §3's default bands (Decision 1970/QĐ-BTTTT)."""
    return max(level for start, level in DEFAULT_BANDS if score >= start)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (49.6, 49),  # level 2 ends below 50: "50" beside level 2 would contradict it
        (84.99, 84),
        (85.0, 85),
        (14.5, 14),
        (0.5, 0),
        (2.49, 2),
        (99.5, 99),
        (61.11, 61),
        (100.0, 100),
        (0.0, 0),
        (49.99999999999, 50),  # a SQL average's floating-point noise on 50 is 50
        (50.000000001, 50),
    ],
)
def test_whole_rounds_down(value, expected):
    assert whole(value) == expected


@pytest.mark.parametrize("value", [49.6, 84.99, 85.0, 14.5, 14.999, 29.5, 30.0, 69.99, 70.4, 0.2, 99.9])
def test_the_shown_score_lies_in_the_band_of_the_level_shown_beside_it(value):
    assert level_of(whole(value)) == level_of(value)


def test_a_missing_score_shows_nothing():
    assert shown(None) is None
    assert shown(84.99) == 84


def test_missing_previous_leaves_no_previous_bar_and_shorter_rows():
    without = bar_chart([ChartInput("a", "A", 50, 60), ChartInput("b", "B", 70, 60)])
    assert not without.has_previous
    assert [row.previous_y for row in without.rows] == [None, None]
    assert [row.previous_width for row in without.rows] == [None, None]

    mixed = bar_chart([ChartInput("a", "A", 50, 60, previous=40), ChartInput("b", "B", 70, 60)])
    assert mixed.has_previous
    first, second = mixed.rows
    assert first.previous_width == 100.0 and first.previous_y == first.bar_y + BAR_HEIGHT + 2
    assert second.previous_y is None and second.previous_width is None
    # Rows make room for the previous bar only when one is drawn.
    assert mixed.rows[1].bar_y - mixed.rows[0].bar_y > without.rows[1].bar_y - without.rows[0].bar_y
    assert mixed.height > without.height


def test_previous_score_of_zero_is_drawn_as_an_empty_bar():
    row = bar_chart([ChartInput("a", "A", 50, previous=0)]).rows[0]
    assert row.previous_width == 0.0 and row.previous_y is not None


def test_rows_stack_in_order_with_the_label_above_the_bar():
    chart = bar_chart([ChartInput(code, code.upper(), 10 * i) for i, code in enumerate("abc")])
    assert [row.code for row in chart.rows] == ["a", "b", "c"]
    for row in chart.rows:
        assert row.label_y < row.bar_y == row.label_y - LABEL_BASELINE + LABEL_HEIGHT
        assert row.bar_y < row.value_y <= row.bar_y + BAR_HEIGHT
    assert chart.rows[0].bar_y < chart.rows[1].bar_y < chart.rows[2].bar_y
    assert chart.axis_line_y > chart.rows[-1].bar_y + BAR_HEIGHT
    assert chart.axis_y < chart.height


def test_unscored_dimension_draws_no_bar():
    row = bar_chart([ChartInput("a", "A", None, 60)]).rows[0]
    assert row.bar_width == 0.0 and row.score is None and row.target_x == PLOT_LEFT + 150


def test_axis_ticks():
    chart = bar_chart([ChartInput("a", "A", 50)])
    assert [(tick.value, tick.x, tick.anchor) for tick in chart.ticks] == [
        (0, 2.0, "start"), (25, 64.5, "middle"), (50, 127.0, "middle"), (75, 189.5, "middle"), (100, 252.0, "middle"),
    ]
    assert chart.plot_right == PLOT_LEFT + PLOT_WIDTH <= chart.width


def test_empty_chart():
    chart = bar_chart([])
    assert chart.rows == () and not chart.has_previous
