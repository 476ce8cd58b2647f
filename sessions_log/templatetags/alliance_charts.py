from django import template

from sessions_log.chart_svg import alliance_chart_html

register = template.Library()


@register.simple_tag
def alliance_chart(alliance, rating_summary):
    """The alliance over time: `{% alliance_chart alliance rating_summary %}`."""
    return alliance_chart_html(alliance.id, rating_summary)
