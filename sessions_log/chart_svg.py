"""The alliance chart's markup, drawn in Python: the SVG, its legend and the table that reads
it out to screen readers.

The patient page draws it for up to every session of an episode of care; a template loop
over the points cost more than the rest of the record, so it is built here from
`charts.alliance_chart`'s positions. Every value placed in the markup is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display

GRID_STROKE, AXIS_STROKE, LABEL_FILL = "#dee2e6", "#6c757d", "#495057"
PATIENT, THERAPIST, CUTOFF, OPEN_ALERT = "#0d6efd", "#6c757d", "#b02a37", "#dc3545"

LEGEND = (
    '<figcaption class="small text-body-secondary" aria-hidden="true">'
    '<span class="text-nowrap"><svg width="22" height="10" aria-hidden="true">'
    f'<line x1="0" y1="5" x2="22" y2="5" stroke="{PATIENT}" stroke-width="2.5"/>'
    f'<circle cx="11" cy="5" r="4" fill="{PATIENT}"/></svg> Patient</span> · '
    '<span class="text-nowrap"><svg width="22" height="10" aria-hidden="true">'
    f'<line x1="0" y1="5" x2="22" y2="5" stroke="{THERAPIST}" stroke-width="2" '
    'stroke-dasharray="4 3"/>'
    f'<rect x="7" y="1" width="8" height="8" fill="{THERAPIST}"/></svg> Therapist</span> · '
    '<span class="text-nowrap"><svg width="22" height="10" aria-hidden="true">'
    f'<line x1="0" y1="5" x2="22" y2="5" stroke="{CUTOFF}" stroke-width="1.5" '
    'stroke-dasharray="6 4"/></svg> Clinic\'s cutoff</span> · '
    '<span class="text-nowrap"><svg width="14" height="14" aria-hidden="true">'
    f'<circle cx="7" cy="7" r="5.5" fill="none" stroke="{OPEN_ALERT}" stroke-width="2"/>'
    "</svg> Open alert</span> · "
    '<span class="text-nowrap"><svg width="14" height="14" aria-hidden="true">'
    f'<circle cx="7" cy="7" r="5.5" fill="none" stroke="{AXIS_STROKE}" stroke-width="2" '
    'stroke-dasharray="3 3"/></svg> Repaired alert</span>'
    "</figcaption>"
)


class _Days:
    """Dates as the page writes them ("3 Mar 2026"), each formatted once."""

    def __init__(self):
        self._seen = {}

    def __call__(self, day) -> str:
        text = self._seen.get(day)
        if text is None:
            text = self._seen[day] = escape(display.day(day))
        return text


def _rated(total) -> str:
    return "not rated" if total is None else f"{int(total)}/40"


def _title(alliance_id, summary: dict, chart: dict, day) -> str:
    count = len(summary["rows"])
    alerts = len(summary["open_alerts"])
    return (
        f'<title id="alliance-chart-title-{escape(alliance_id)}">Alliance ratings from 0 to 40 '
        f"over {count} session{'' if count == 1 else 's'}, {day(chart['first'])} to "
        f"{day(chart['last'])}. Latest: patient {_rated(summary['latest_patient'])}, therapist "
        f"{_rated(summary['latest_therapist'])}. The clinic's cutoff is {int(chart['cutoff'])}. "
        f"{alerts} open alert{'' if alerts == 1 else 's'}.</title>"
    )


def _svg(alliance_id, summary: dict, chart: dict, day) -> str:
    left, right, top, bottom = chart["left"], chart["right"], chart["top"], chart["bottom"]
    out = [
        f'<svg viewBox="0 0 {chart["width"]} {chart["height"]}" role="img" '
        f'aria-labelledby="alliance-chart-title-{escape(alliance_id)}" class="w-100" '
        'font-size="12">',
        _title(alliance_id, summary, chart, day),
    ]
    for line in chart["grid"]:
        out.append(
            f'<line x1="{left}" y1="{line["y"]}" x2="{right}" y2="{line["y"]}" '
            f'stroke="{GRID_STROKE}" stroke-width="1"/>'
            f'<text x="{left}" y="{line["y"]}" dx="-8" dy="4" text-anchor="end" '
            f'fill="{LABEL_FILL}">{line["total"]}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS_STROKE}" '
        f'stroke-width="1"/><line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" '
        f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    out.extend(
        f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="{AXIS_STROKE}" '
        'stroke-width="1"/>'
        for x in chart["ticks"]
    )
    cutoff_y = chart["cutoff_y"]
    out.append(
        f'<text x="{left}" y="{bottom}" dy="22" fill="{LABEL_FILL}">{day(chart["first"])}</text>'
        f'<text x="{right}" y="{bottom}" dy="22" text-anchor="end" fill="{LABEL_FILL}">'
        f"{day(chart['last'])}</text>"
        f'<line class="cutoff" x1="{left}" y1="{cutoff_y}" x2="{right}" y2="{cutoff_y}" '
        f'stroke="{CUTOFF}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{right}" y="{cutoff_y}" dx="6" dy="4" fill="{CUTOFF}">'
        f"Cutoff {int(chart['cutoff'])}</text>"
    )
    if chart["therapist_line"]:
        out.append(
            f'<polyline class="therapist-line" points="{chart["therapist_line"]}" fill="none" '
            f'stroke="{THERAPIST}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    for m in chart["therapist"]:
        x, y = m.square
        out.append(
            f'<rect class="therapist-point" x="{x}" y="{y}" width="8" height="8" '
            f'fill="{THERAPIST}"><title>{day(m.day)}: therapist {int(m.total)}/40</title></rect>'
        )
    if chart["patient_line"]:
        out.append(
            f'<polyline class="patient-line" points="{chart["patient_line"]}" fill="none" '
            f'stroke="{PATIENT}" stroke-width="2.5"/>'
        )
    out.extend(
        f'<circle class="patient-point" cx="{m.x}" cy="{m.y}" r="5" fill="{PATIENT}">'
        f"<title>{day(m.day)}: patient {int(m.total)}/40</title></circle>"
        for m in chart["patient"]
    )
    for a in chart["alerts"]:
        is_open = a["state"] == "open"
        stroke = OPEN_ALERT if is_open else AXIS_STROKE
        dashes = "" if is_open else ' stroke-dasharray="3 3"'
        out.append(
            f'<circle class="alert-{escape(a["state"])}" cx="{a["x"]}" cy="{a["y"]}" r="10" '
            f'fill="none" stroke="{stroke}" stroke-width="2.5"{dashes}><title>{day(a["day"])}: '
            f"alliance alert{'' if is_open else ', repaired'}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def _table(summary: dict, chart: dict, day) -> str:
    out = [
        '<table class="visually-hidden"><caption>Alliance ratings by session (totals out of '
        f"40; the clinic's cutoff is {int(chart['cutoff'])})</caption>"
        '<thead><tr><th scope="col">Session</th><th scope="col">Patient</th>'
        '<th scope="col">Therapist</th><th scope="col">Alert</th></tr></thead><tbody>'
    ]
    for row in summary["rows"]:
        alert = "open" if row.alert == "open" else ("repaired" if row.alert else "none")
        patient = "not rated" if row.patient is None else int(row.patient)
        therapist = "not rated" if row.therapist is None else int(row.therapist)
        out.append(
            f'<tr><th scope="row">{day(row.day)}</th><td>{patient}</td><td>{therapist}</td>'
            f"<td>{alert}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def alliance_chart_html(alliance_id, summary: dict) -> SafeString:
    """The figure and its table for `selectors_ratings.alliance_ratings_summary`; empty
    before the first rating."""
    chart = summary["chart"]
    if not chart:
        return mark_safe("")  # noqa: S308 (a constant)
    day = _Days()
    figure = (
        '<figure class="alliance-chart mb-1">'
        + _svg(alliance_id, summary, chart, day)
        + LEGEND
        + "</figure>"
        + _table(summary, chart, day)
    )
    return mark_safe(figure)  # noqa: S308 (every value above is a number or escaped)
