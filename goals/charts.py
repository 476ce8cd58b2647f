"""Server-drawn progress chart: positions for an SVG template, no script needed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass
class Point:
    x: float
    y: float
    value: Decimal
    day: datetime.date
    reported_by: str


def progress_chart(*, goal, progress, today: datetime.date) -> dict | None:
    """Coordinates for baseline, target, target date and values; None without a measure."""
    if goal.baseline is None or goal.target is None:
        return None
    values = [p for p in progress if p.value is not None]
    start = goal.started_on or (goal.proposed_at.date() if goal.proposed_at else today)
    days = [start, today, *(p.recorded_on for p in values)]
    if goal.target_date:
        days.append(goal.target_date)
    first, last = min(days), max(days)
    span_days = max((last - first).days, 1)
    numbers = [goal.baseline, goal.target, *(p.value for p in values)]
    low, high = min(numbers), max(numbers)
    pad = (high - low) * Decimal("0.1") or Decimal(1)
    low, high = low - pad, high + pad

    def x(day: datetime.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span_days, 1)

    def y(number: Decimal) -> float:
        share = float((number - low) / (high - low))
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share), 1)

    points = [
        Point(x(p.recorded_on), y(p.value), p.value, p.recorded_on, p.reported_by) for p in values
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "baseline_y": y(goal.baseline),
        "target_y": y(goal.target),
        "target_x": x(goal.target_date) if goal.target_date else None,
        "first": first,
        "last": last,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
    }
