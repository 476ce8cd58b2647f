"""`{% quick_result_list cl %}`: Django's `{% result_list cl %}`, its rows drawn by
alliance.admin_rows when the list's columns allow it. Same template, same headers."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from alliance.admin_rows import quick_rows

register = template.Library()


def quick_result_list(cl) -> dict:
    rows = quick_rows(cl)
    if rows is None:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        # One item per row, already drawn: the template joins a row's items, as Django's do.
        "results": [admin_list.ResultList(None, [row]) for row in rows],
    }


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=quick_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
