"""The admin's change lists, each row's link made from one reverse() per page.

Django's ChangeList reverses the change page's URL for every row it shows; on a page of 100
patients that was a tenth of the page's time. Here the URL is reversed once, around a marker,
and each row's key is put in its place, quoted as reverse() quotes it: the same links.
"""

from urllib.parse import quote as url_quote

from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a URL (django.urls.resolvers: RFC 3986's pchar).
_KEPT = RFC3986_SUBDELIMS + "/~:@"
_MARK = "pk-marker-0"


class LinkOnceChangeList(ChangeList):
    def url_for_result(self, result) -> str:
        parts = getattr(self, "_change_url_parts", None)
        if parts is None:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(_MARK,),
                current_app=self.model_admin.admin_site.name,
            )
            parts = self._change_url_parts = url.split(_MARK)
        key = str(quote(getattr(result, self.pk_attname)))
        if len(parts) != 2 or not key:
            # The marker found elsewhere too, or an empty key (which reverse() refuses):
            # Django's own way.
            return super().url_for_result(result)
        return url_quote(key, safe=_KEPT).join(parts)


class LinkOnceAdmin:
    """Put among an admin's bases: its change list links each row from one reverse()."""

    def get_changelist(self, request, **kwargs):
        found = super().get_changelist(request, **kwargs)
        # An admin further along that brings a change list of its own keeps it.
        return LinkOnceChangeList if found is ChangeList else found


class QuickRowsAdmin(LinkOnceAdmin):
    """Put among an admin's bases: its change list's rows are drawn by alliance.admin_rows
    when its columns allow it (by Django otherwise), each linked from one reverse().

    The change list's template is found as Django finds it (the model's own, then the app's),
    with the quick list in place of Django's last choice; an admin that names a template of
    its own (`change_list_template = ...`) keeps it."""

    @property
    def change_list_template(self) -> list[str]:
        opts = self.opts
        return [
            f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
            f"admin/{opts.app_label}/change_list.html",
            "admin/quick_change_list.html",
        ]
