from django import template

from goals.chart_svg import goal_chart_html

register = template.Library()


@register.simple_tag
def goal_chart(goal, chart):
    """A goal's progress: `{% goal_chart goal chart %}`."""
    return goal_chart_html(goal, chart)
