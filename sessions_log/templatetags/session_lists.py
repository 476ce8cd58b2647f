from django import template

from sessions_log.listing_html import session_rows_html

register = template.Library()


@register.simple_tag
def session_rows(sessions):
    """The rows of the patient page's table of sessions: `{% session_rows sessions %}`."""
    return session_rows_html(sessions)
