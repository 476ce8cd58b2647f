"""A goal's progress chart, drawn in Python from `charts.progress_chart`'s positions.

The portal home draws one for every agreed goal, each with its values; a template loop over
the points cost more than the rest of the page. Every value placed in the markup is
escaped; numbers are written as the templates write them.
"""

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display

CAPTION = (
    '<figcaption class="small text-body-secondary"><span class="legend legend-baseline">'
    'Baseline</span> · <span class="legend legend-target">Target</span> · filled dots '
    "reported by the therapist, open dots by the patient.</figcaption>"
)


def _number(value) -> str:
    return escape(localize(value.normalize()))


def _day(day) -> str:
    return escape(display.day(day))


def _title(goal, chart: dict) -> str:
    count = len(chart["points"])
    by = f" by {_day(goal.target_date)}" if goal.target_date else ""
    return (
        f'<title id="chart-title-{escape(goal.id)}">{escape(goal.measure)}: baseline '
        f"{_number(goal.baseline)}, target {_number(goal.target)}{by}; {count} "
        f"value{'' if count == 1 else 's'} recorded.</title>"
    )


def goal_chart_html(goal, chart: dict | None) -> SafeString:
    """The figure for `progress_chart(goal=goal, ...)`; empty when the goal has no measure."""
    if not chart:
        return mark_safe("")  # noqa: S308 (a constant)
    left, right, top, bottom = chart["left"], chart["right"], chart["top"], chart["bottom"]
    base_y, target_y = chart["baseline_y"], chart["target_y"]
    out = [
        f'<figure class="goal-chart"><svg viewBox="0 0 {chart["width"]} {chart["height"]}" '
        f'role="img" aria-labelledby="chart-title-{escape(goal.id)}" class="w-100" '
        f'style="max-width: {chart["width"]}px">',
        _title(goal, chart),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="axis"/>'
        f'<line x1="{left}" y1="{base_y}" x2="{right}" y2="{base_y}" class="baseline"/>'
        f'<text x="{left}" y="{base_y}" dx="-6" dy="4" text-anchor="end" class="label">'
        f"{_number(goal.baseline)}</text>"
        f'<line x1="{left}" y1="{target_y}" x2="{right}" y2="{target_y}" class="target"/>'
        f'<text x="{left}" y="{target_y}" dx="-6" dy="4" text-anchor="end" class="label">'
        f"{_number(goal.target)}</text>",
    ]
    if chart["target_x"]:
        x = chart["target_x"]
        out.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" class="target-date"/>'
            f'<text x="{x}" y="{bottom}" dy="16" text-anchor="end" class="label">Target date'
            "</text>"
        )
    out.append(
        f'<text x="{left}" y="{bottom}" dy="30" class="label">{_day(chart["first"])}</text>'
        f'<text x="{right}" y="{bottom}" dy="30" text-anchor="end" class="label">'
        f"{_day(chart['last'])}</text>"
    )
    if len(chart["points"]) > 1:
        out.append(f'<polyline points="{chart["polyline"]}" class="values"/>')
    out.extend(
        f'<circle cx="{p.x}" cy="{p.y}" r="5" class="point point-{escape(p.reported_by)}">'
        f"<title>{_day(p.day)}: {_number(p.value)} ({escape(p.reported_by)})</title></circle>"
        for p in chart["points"]
    )
    out.append("</svg>" + CAPTION + "</figure>")
    return mark_safe("".join(out))  # noqa: S308 (every value above is a number or escaped)
