"""What a talk weighs: its options (with the patient's view of each) and what matters most.

All of it can change while the talk is open, and none of it once the decision is recorded.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from alliance.views.forms_util import add_service_errors
from decisions import selectors, services
from decisions.forms import OptionForm, PreferenceFormSet, preference_rows
from decisions.models import DecisionTalk
from decisions.views.talks import back_to, clinicians


def _closed(request: HttpRequest, talk: DecisionTalk) -> HttpResponse | None:
    """Send the therapist back to the talk if it cannot change now, saying why."""
    if talk.is_decided:
        messages.info(request, services.LOCKED)
        return back_to(talk)
    if not talk.is_open:
        messages.info(request, "This talk is deferred: take it up again to change it.")
        return back_to(talk)
    return None


@clinicians
def decision_option_new(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if refused := _closed(request, talk):
        return refused
    form = OptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.option_add(talk=talk, by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Option added.")
            return back_to(talk)
    context = {"form": form, "talk": talk, "option": None}
    return render(request, "decisions/option_form.html", context)


@clinicians
def decision_option_edit(request: HttpRequest, talk_id, option_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    option = selectors.get_option_or_404(talk=talk, option_id=option_id)
    if refused := _closed(request, talk):
        return refused
    if option.withdrawn_at:
        messages.info(request, "This option was set aside; add it again if it is back.")
        return back_to(talk)
    form = OptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.option_update(option=option, by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Option saved.")
            return back_to(talk)
    context = {"form": form, "talk": talk, "option": option}
    return render(request, "decisions/option_form.html", context)


@clinicians
def decision_option_withdraw(request: HttpRequest, talk_id, option_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    option = selectors.get_option_or_404(talk=talk, option_id=option_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.option_withdraw(option=option, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{option.title}” is set aside; it stays in the record.")
    return back_to(talk)


@clinicians
def decision_preferences(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if refused := _closed(request, talk):
        return refused
    texts = [p.text for p in selectors.talk_preferences(talk)]
    formset = PreferenceFormSet(
        request.POST or None, initial=preference_rows(texts), prefix="matters"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.preferences_set(talk=talk, by=request.user, items=formset.items())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "What matters most is saved, in order.")
            return back_to(talk)
    context = {"formset": formset, "talk": talk}
    return render(request, "decisions/preferences_form.html", context)
