"""The alliance over time: positions for a server-drawn SVG (no script needed).

x is the session's date and time, y the 0-40 total; the patient's totals, the therapist's,
the clinic's cutoff and the sessions whose ratings raised an alert.
"""

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 76, 16, 44  # the cutoff is named in the right margin
PAD = 16  # keeps the first and last points off the axes
MAX_TOTAL = 40
GRID = (0, 10, 20, 30, 40)


@dataclass(frozen=True)
class SessionTotals:
    """One rated session: the date and the two totals (either may be missing)."""

    session_id: object
    starts_at: datetime.datetime
    day: datetime.date
    patient: int | None
    therapist: int | None
    alert: str | None = None  # "open", "repaired" or None


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    total: int
    day: datetime.date

    @property
    def square(self) -> tuple[float, float]:
        """Top-left corner of an 8-pixel square centred on the point."""
        return round(self.x - 4, 1), round(self.y - 4, 1)


def _x_scale(rows: list[SessionTotals]):
    first, last = rows[0].starts_at, rows[-1].starts_at
    span = (last - first).total_seconds()
    inner = WIDTH - LEFT - RIGHT - 2 * PAD

    def x(when: datetime.datetime) -> float:
        if span <= 0:
            return round(LEFT + PAD + inner / 2, 1)
        return round(LEFT + PAD + inner * (when - first).total_seconds() / span, 1)

    return x


def y_of(total: int) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - total / MAX_TOTAL), 1)


def _marks(rows: list[SessionTotals], x, rater: str) -> list[Mark]:
    return [
        Mark(x(row.starts_at), y_of(getattr(row, rater)), getattr(row, rater), row.day)
        for row in rows
        if getattr(row, rater) is not None
    ]


def _polyline(marks: list[Mark]) -> str:
    return " ".join(f"{m.x},{m.y}" for m in marks) if len(marks) > 1 else ""


def alliance_chart(*, rows: list[SessionTotals], cutoff: int) -> dict | None:
    """Coordinates for the chart template; None before the first rating.

    `rows` come in session order, oldest first.
    """
    if not rows:
        return None
    x = _x_scale(rows)
    patient = _marks(rows, x, "patient")
    therapist = _marks(rows, x, "therapist")
    alerts = [
        {"x": x(row.starts_at), "y": y_of(row.patient), "state": row.alert, "day": row.day}
        for row in rows
        if row.alert and row.patient is not None
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "grid": [{"total": total, "y": y_of(total)} for total in GRID],
        "cutoff": cutoff,
        "cutoff_y": y_of(cutoff),
        "ticks": [x(row.starts_at) for row in rows],
        "first": rows[0].day,
        "last": rows[-1].day,
        "patient": patient,
        "patient_line": _polyline(patient),
        "therapist": therapist,
        "therapist_line": _polyline(therapist),
        "alerts": alerts,
    }
