"""The admin's change-list rows drawn in one pass, for lists of plain columns.

Django draws every cell of a change list through its generic code (`items_for_result`): the
column looked up by name, its field found, the value formatted and escaped, the row's link made
and merged with the list's filters, for each of a page's 100 rows; on the operators' patient
list that was two fifths of the page. Here, when every column of a list is a model's own text,
date or foreign-key field, what each column needs (its kind, its cell's tag and class, whether
it links) is worked out once per page, and each row is drawn from it: the cells Django draws,
character for character. Any other list is drawn by Django: a column with choices, a boolean,
a number, a method or a property; editable rows; the actions' checkboxes; a pop-up.
"""

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.urls import NoReverseMatch
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display

# Exact classes only: a URLField is a CharField that Django draws as a link, a DateTimeField a
# DateField shown in the reader's time zone.
_KINDS = {
    models.CharField: "text",
    models.TextField: "text",
    models.EmailField: "text",
    models.DateField: "date",
    models.ForeignKey: "record",
}


def _kind(opts, name) -> str | None:
    """How a column's value is shown, or None when only Django's own code draws it."""
    if not isinstance(name, str):
        return None
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return None
    kind = _KINDS.get(type(field))
    if kind is None or field.choices or field.auto_created:
        return None
    if kind == "record" and (field.attname == name or field.related_model is None):
        return None  # "clinic_id" is shown as a number, by Django
    return kind


def _columns(cl) -> list[tuple] | None:
    links = cl.list_display_links
    if links is None:
        return None
    columns, first = [], True
    for name in cl.list_display:
        kind = _kind(cl.lookup_opts, name)
        if kind is None:
            return None
        linked = (first and not links) or name in links
        tag = "th" if linked and first else "td"
        first = first and not linked
        nowrap = " nowrap" if kind in ("date", "record") else ""
        # A value that cannot be read is shown empty, without "nowrap", as Django shows it.
        openings = (f'<{tag} class="field-{name}{nowrap}">', f'<{tag} class="field-{name}">')
        columns.append((name, kind, linked, *openings, f"</{tag}>"))
    return columns


def _date_text():
    """How this page writes a date: the reader's locale's DATE_FORMAT, quickly when it is the
    app's own "j M Y" (alliance.display.day, the same text), else through Django's formats."""
    return display.day if formats.get_format("DATE_FORMAT") == "j M Y" else formats.localize


def _shown(kind: str, value, empty: SafeString, date_text) -> str:
    if kind == "text":
        if (isinstance(value, str) and value.strip() == "") or value in EMPTY_VALUES:
            return empty
        return conditional_escape(value)
    if value is None:
        return empty
    if kind == "date":
        return conditional_escape(date_text(value))
    return conditional_escape(value)  # a record: its str(), escaped


class _Links:
    """Each row's link, made as Django makes it: the change page, with the list's filters."""

    def __init__(self, cl):
        self.cl = cl
        self.context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}

    def __call__(self, result) -> str | None:
        try:
            url = self.cl.url_for_result(result)
        except NoReverseMatch:
            return None
        if self.cl.preserved_filters or "?" in url or "#" in url:
            url = add_preserved_filters(self.context, url)
        return conditional_escape(url)


def quick_rows(cl) -> list[SafeString] | None:
    """Each row of the change list's page as its cells' HTML, or None: Django draws them."""
    if cl.formset is not None or cl.is_popup:
        return None
    columns = _columns(cl)
    if columns is None:
        return None
    empty = conditional_escape(cl.model_admin.get_empty_value_display())
    link = _Links(cl)
    date_text = _date_text()
    rows = []
    for result in cl.result_list:
        cells = []
        for name, kind, linked, opening, unread, closing in columns:
            try:
                value = getattr(result, name)
            except ObjectDoesNotExist:  # a record gone from under its key
                shown, opening = empty, unread
            else:
                shown = _shown(kind, value, empty, date_text)
            if linked:
                url = link(result)
                if url is not None:
                    shown = f'<a href="{url}">{shown}</a>'
            cells.append(f"{opening}{shown}{closing}")
        # Each value above is escaped; names and tags are a model field's own identifiers.
        rows.append(mark_safe("".join(cells)))  # noqa: S308 - see above
    return rows
