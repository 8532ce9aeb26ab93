"""The last 24 hours of decisions as an SVG chart, drawn on the server.

The geometry is computed here and the template (admin/hotelagent/
scalingdecision/change_list.html) writes the markup: target and current
instances as step lines, a mark at every scale-up and scale-down. A line only
turns where a value changes, so a day of one-minute decisions stays a few
dozen points.
"""
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

WINDOW = datetime.timedelta(hours=24)
WIDTH, HEIGHT = 720, 190
LEFT, RIGHT, TOP, BOTTOM = 34, 22, 10, 24  # margins for the axes' labels
X_TICK_HOURS = 6


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    target: str = ""  # polyline points
    current: str = ""
    scale_ups: list[Point] = field(default_factory=list)
    scale_downs: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    decisions: int = 0

    @property
    def middle(self) -> Point:
        return Point((self.left + self.right) / 2, (self.top + self.bottom) / 2)


def instances_chart(decisions, *, now: datetime.datetime) -> Chart:
    """`decisions`: (evaluated_at, action, current_instances, target_instances) in
    time order, those of the 24 hours before `now`."""
    decisions = list(decisions)
    start = now - WINDOW
    chart = Chart(decisions=len(decisions))
    top_value = max([1, *(max(row[2], row[3]) for row in decisions)])

    def x(at: datetime.datetime) -> float:
        return round(chart.left + (chart.right - chart.left) * ((at - start) / WINDOW), 1)

    def y(value: int) -> float:
        return round(chart.bottom - (chart.bottom - chart.top) * value / top_value, 1)

    if decisions:
        chart.target = _steps([(x(at), y(target)) for at, _action, _current, target in decisions], x(now))
        chart.current = _steps([(x(at), y(current)) for at, _action, current, _target in decisions], x(now))
    marks = [(action, Point(x(at), y(target))) for at, action, _current, target in decisions]
    chart.scale_ups = [point for action, point in marks if action == "scale_up"]
    chart.scale_downs = [point for action, point in marks if action == "scale_down"]
    every = max(1, -(-top_value // 4))  # at most five labels up the side
    chart.y_ticks = [Tick(y(value), str(value)) for value in range(0, top_value + 1, every)]
    chart.x_ticks = [
        Tick(x(start + datetime.timedelta(hours=hours)),
             f"{timezone.localtime(start + datetime.timedelta(hours=hours)):%H:%M}")
        for hours in range(0, 25, X_TICK_HOURS)
    ]
    return chart


def _steps(points: list[tuple[float, float]], end_x: float) -> str:
    """A step line through `points`, held level until `end_x`; points where the
    value stays the same are dropped."""
    path = [points[0]]
    for px, py in points[1:]:
        if py != path[-1][1]:
            path += [(px, path[-1][1]), (px, py)]
    path.append((end_x, path[-1][1]))
    return " ".join(f"{px:g},{py:g}" for px, py in path)
