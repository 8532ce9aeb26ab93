"""The day's chart is computed on the server; a line turns only where a value changes."""
import datetime

from hotelagent.scaling.chart import instances_chart

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)


def at(hours_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(hours=hours_ago)


def test_a_day_of_unchanged_decisions_is_one_level_line():
    minutes = [(NOW - datetime.timedelta(minutes=m), "hold", 2, 2) for m in range(1440, 0, -1)]

    chart = instances_chart(minutes, now=NOW)

    assert chart.decisions == 1440
    assert len(chart.target.split()) == 2


def test_each_change_is_a_step_with_its_mark():
    chart = instances_chart([(at(20), "hold", 1, 1), (at(12), "scale_up", 1, 2), (at(6), "scale_down", 2, 1)],
                            now=NOW)

    assert len(chart.target.split()) == 6  # start, up (2 points), down (2 points), now
    assert [len(chart.scale_ups), len(chart.scale_downs)] == [1, 1]
    assert chart.scale_ups[0].y < chart.scale_downs[0].y  # two instances drawn above one


def test_the_axes_are_labelled():
    chart = instances_chart([(at(1), "scale_up", 3, 4)], now=NOW)

    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert [tick.label for tick in chart.x_ticks] == ["12:00", "18:00", "00:00", "06:00", "12:00"]


def test_no_decision_no_line():
    chart = instances_chart([], now=NOW)

    assert (chart.target, chart.decisions) == ("", 0)
