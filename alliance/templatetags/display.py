"""`{% load display %}`: the quick forms of alliance.display for templates that list many rows."""

from django import template

from alliance import display

register = template.Library()


@register.filter(expects_localtime=True)
def day(value) -> str:
    """`{{ value|day }}` shows what `{{ value|date:"j M Y" }}` shows."""
    return display.day(value)


@register.filter(expects_localtime=True)
def day_long(value) -> str:
    """`{{ value|day_long }}` shows what `{{ value|date:"j F Y" }}` shows."""
    return display.day_long(value)


@register.filter(expects_localtime=True)
def day_time(value) -> str:
    """`{{ value|day_time }}` shows what `{{ value|date:"j M Y, H:i" }}` shows."""
    return display.day_time(value)


@register.simple_tag
def record_url(name: str, record_id) -> str:
    """`{% record_url "session_detail" session.id %}` gives what `{% url %}` gives."""
    return display.record_url(name, record_id)
