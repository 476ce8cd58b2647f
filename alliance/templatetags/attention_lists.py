"""`{% load attention_lists %}`: the items of the home page's "To act on" lists
(alliance.attention_html), e.g. `{% alert_items a.alerts %}`."""

from django import template

from alliance import attention_html

register = template.Library()
register.simple_tag(attention_html.alert_items)
register.simple_tag(attention_html.review_items)
register.simple_tag(attention_html.draft_items)
register.simple_tag(attention_html.unanswered_items)
register.simple_tag(attention_html.decision_items)
