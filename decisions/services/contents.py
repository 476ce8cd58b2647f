"""What a talk weighs: its options, with the patient's view of each, and what matters most."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alliance.models import User
from decisions.models import DecisionTalk, Option, Preference
from decisions.services.talks import (
    MIN_OPTIONS,
    OPTION_FIELDS,
    _active_options,
    _check_open,
    _locked_talk,
)
from decisions.steps import Stage


def _check_option_fields(fields: dict) -> dict:
    unknown = set(fields) - set(OPTION_FIELDS)
    if unknown:
        raise ValueError(f"Not part of an option: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError({"title": "Name the option in a few words."})
    appeal = cleaned.get("appeal")
    if appeal is not None and not 0 <= appeal <= 10:
        raise ValidationError({"appeal": "Choose a number from 0 to 10."})
    return cleaned


def option_add(*, talk: DecisionTalk, by: User, title: str, **fields) -> Option:
    cleaned = _check_option_fields({"title": title, **fields})
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        last = current.options.aggregate(last=Max("position"))["last"]
        return Option.objects.create(
            talk=current, position=0 if last is None else last + 1, **cleaned
        )


def option_update(*, option: Option, by: User, **fields) -> Option:
    cleaned = _check_option_fields(fields)
    with transaction.atomic():
        current = _locked_talk(option.talk, by=by)
        _check_open(current)
        option = Option.objects.select_for_update().get(pk=option.pk, talk=current)
        if option.withdrawn_at:
            raise ValidationError("This option was set aside; add it again if it is back.")
        for name, value in cleaned.items():
            setattr(option, name, value)
        option.save()
    return option


def option_withdraw(*, option: Option, by: User) -> Option:
    """Set an option aside before the decision; it stays in the record."""
    with transaction.atomic():
        current = _locked_talk(option.talk, by=by)
        _check_open(current)
        option = Option.objects.select_for_update().get(pk=option.pk, talk=current)
        if option.withdrawn_at:
            return option
        remaining = _active_options(current).exclude(pk=option.pk).count()
        if current.stage == Stage.DECISION and remaining < MIN_OPTIONS:
            raise ValidationError("A decision talk needs at least two options; add one first.")
        option.withdrawn_at = timezone.now()
        option.save(update_fields=["withdrawn_at", "updated_at"])
    return option


def preferences_set(*, talk: DecisionTalk, by: User, items: list[str]) -> list[Preference]:
    """What matters most, in order. The earlier list is kept (removed), never overwritten."""
    items = [item.strip() for item in items if item.strip()]
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        now_listed = current.preferences.filter(removed_at__isnull=True).order_by("position")
        if [p.text for p in now_listed] == items:
            return list(now_listed)
        now_listed.update(removed_at=timezone.now())
        return Preference.objects.bulk_create(
            Preference(talk=current, position=number, text=text, created_by=by)
            for number, text in enumerate(items, start=1)
        )
