"""Rendered parts of the busiest pages, kept for their own user only.

A copy is found again only by the same user, for the same caseloads at the same versions
(CaseloadStamp, moved by database triggers on every write), the same day and the same
request parameters, so a change anyone makes shows on the next page. Copies live in the
"pages" cache (this process's memory, or the private Redis database PAGE_CACHE_URL names)
and are dropped after FRESH_FOR seconds: what changes with the clock alone (a draft note
turning a day old) shows within that time.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from alliance.models import Alliance, CaseloadStamp, User

FRESH_FOR = 300


def caseload_version(therapist_id: int) -> int:
    """The therapist's caseload version; 0 before the first write."""
    found = CaseloadStamp.objects.filter(therapist_id=therapist_id).values_list("version")
    return next((version for (version,) in found), 0)


def with_version() -> QuerySet:
    """Alliances with their therapist's caseload version as `stamp` (None before the first
    write), read in the same statement as each alliance and so before anything drawn from
    it: a copy is never stored under a version newer than the rows it was drawn from."""
    return Alliance.objects.annotate(stamp=F("therapist__caseload_stamp__version"))


def stamp_of(therapist: User) -> int:
    """The caseload version of a user loaded with select_related("caseload_stamp")."""
    try:
        return therapist.caseload_stamp.version
    except CaseloadStamp.DoesNotExist:
        return 0


def fragment(user: User, name: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes, from this user's own copy when every part still matches."""
    # Part of every key: the clinic's settings (its cutoff draws the alliance chart's line,
    # its time zone the dates; the user row brings its clinic along, at no query), the day
    # there and the time zone the page is drawn in.
    clinic = user.clinic
    settings = tuple(getattr(clinic, f.attname) for f in clinic._meta.concrete_fields)
    when = (clinic.today(), timezone.localdate(), str(timezone.get_current_timezone()))
    digest = hashlib.sha256(repr((user.pk, settings, when, *parts)).encode()).hexdigest()
    key = f"{name}:{user.pk}:{digest}"
    store = caches["pages"]
    html = store.get(key)
    if html is None:
        html = str(render())
        store.set(key, html, FRESH_FOR)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there
