"""Who sees what, and who may do what.

What a user may see is one rule, `Alliance.objects.visible_to(user)` (alliance.models.care);
every queryset of clinical records starts from it. This module builds the view helpers on
it: a record outside the caller's view is a 404 (its existence is not confirmed); an action
the caller may not take on a record they can see is a 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Manager, QuerySet
from django.http import Http404

from alliance.models import Alliance, Patient, Role
from alliance.models.care import current_supervisees
from alliance.record_reads import RecordRead, alliance_read, record_read


def visible_patients(user) -> QuerySet:
    alliances = Alliance.objects.visible_to(user)
    return Patient.objects.filter(id__in=alliances.values("patient_id"))


def can_edit_alliance(user, alliance: Alliance) -> bool:
    """Only the alliance's own therapist writes to it, and only while it is active."""
    if alliance.therapist_id != user.id:
        return False
    return alliance.is_active


def is_supervising(user, alliance: Alliance) -> bool:
    """The caller reads this alliance as its therapist's supervisor (comment, co-sign)."""
    if user.role != Role.SUPERVISOR:
        return False
    if alliance.therapist_id == user.id:
        return False
    return current_supervisees(user).filter(therapist_id=alliance.therapist_id).exists()


def get_alliance_or_404(user, alliance_id, read: RecordRead = alliance_read) -> Alliance:
    """The alliance with its patient (and portal account), therapist and clinic, or 404;
    `read` when a page reads it otherwise (a RecordRead of alliances)."""
    alliance = read(user, alliance_id)
    if alliance is None:
        raise Http404("No such patient in your view.")
    return alliance


def get_alliance_for_edit(user, alliance_id) -> Alliance:
    alliance = get_alliance_or_404(user, alliance_id)
    if not can_edit_alliance(user, alliance):
        raise PermissionDenied("Only the patient's therapist can change an active record.")
    return alliance


def get_record_or_404(manager: Manager, user, record_id, *related: str):
    """A goal, talk or session in the caller's view, or 404.

    `manager` is the manager of a model with `visible_to` (built on the alliance rule): its
    read is compiled once, so it is never a queryset made per request; `related` names what to
    load with it. The alliance, its patient, therapist and clinic always come along, for the
    edit check and the page header.
    """
    if not isinstance(manager, Manager):
        raise TypeError("get_record_or_404 reads through a model's manager, not a queryset.")
    return record_or_404(record_read(manager, related), user, record_id)


def record_or_404(read: RecordRead, user, record_id):
    """What `read` (a RecordRead, through the access rule) finds for `user`, or 404."""
    record = read(user, record_id)
    if record is None:
        raise Http404("Nothing of that kind in your view.")
    return record


def check_can_edit(user, record) -> None:
    """403 unless the caller is the therapist of the record's active alliance."""
    if not can_edit_alliance(user, record.alliance):
        raise PermissionDenied("Only the patient's therapist changes this record.")


def role_required(*roles: str):
    """Log in first; then a page meant for other roles answers 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied("This page is not part of your role.")
            if request.user.clinic_id is None:
                raise PermissionDenied("Your account belongs to no clinic.")
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
