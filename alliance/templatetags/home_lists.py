"""`{% load home_lists %}`: the home page's long lists drawn in Python: the items of its
"To act on" lists (alliance.attention_html), e.g. `{% alert_items a.alerts %}`, and the rows
of its caseload table (`{% caseload_rows page.object_list %}`, alliance.caseload_html)."""

from django import template

from alliance import attention_html
from alliance.caseload_html import caseload_rows_html

register = template.Library()
register.simple_tag(attention_html.alert_items)
register.simple_tag(attention_html.review_items)
register.simple_tag(attention_html.draft_items)
register.simple_tag(attention_html.unanswered_items)
register.simple_tag(attention_html.decision_items)
register.simple_tag(caseload_rows_html, name="caseload_rows")
