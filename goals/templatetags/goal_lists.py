from django import template

from goals.listing_html import goal_rows_html

register = template.Library()


@register.simple_tag
def goal_rows(goals, today):
    """The rows of the patient page's table of goals: `{% goal_rows goals today %}`."""
    return goal_rows_html(goals, today)
