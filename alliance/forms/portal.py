import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from sessions_log.models.ratings import ITEMS

SCALE = [(n, str(n)) for n in range(11)]


class PatientProgressForm(InputLimits, forms.Form):
    recorded_on = forms.DateField(label="Day", widget=DateInput())
    value = forms.DecimalField(
        label="How many / how much", required=False, max_digits=9, decimal_places=2
    )
    gas_level = forms.TypedChoiceField(
        label="Which comes closest?",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything to add? (your therapist reads it)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, goal, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = today
        if goal.measure:
            unit = f" ({goal.unit})" if goal.unit else ""
            self.fields["value"].label = f"{goal.measure}{unit}"
        if goal.has_gas:
            self.fields["gas_level"].choices = [(level, text) for level, text in goal.gas_levels()]
        else:
            del self.fields["gas_level"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is None and cleaned.get("gas_level") is None:
            self.add_error("value", "Enter a number, or choose the description that fits.")
        return cleaned


class RatingForm(forms.Form):
    """The patient's rating of a session: Bordin's goals, tasks and bond, and overall."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, _short in ITEMS:
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text="0 = not at all, 10 = completely",
            )

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name, _q, _s in ITEMS}


class ReminderPreferenceForm(forms.Form):
    review_reminders = forms.BooleanField(
        label="Email me before a goal review, to record how things are going",
        required=False,
    )
