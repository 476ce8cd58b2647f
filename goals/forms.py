import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from goals.models import GAS_FIELDS, WORDING_FIELDS, Agreement, Goal, GoalReview
from goals.smart import PARTS, missing_parts, wording_errors

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class GoalForm(InputLimits, forms.ModelForm):
    """The SMART wording, grouped by letter in the template, with guidance for each."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why the wording changes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Both of you see this in the goal's history.",
    )
    agree = forms.BooleanField(label="I agree to the new wording", required=False, initial=True)

    class Meta:
        model = Goal
        fields = WORDING_FIELDS
        widgets = {
            "description": TEXTAREA,
            "steps": TEXTAREA,
            "resources": TEXTAREA,
            "barriers": TEXTAREA,
            "relevance": TEXTAREA,
            "target_date": DateInput(),
        }
        labels = {"review_interval_days": "How often you review it"}
        help_texts = {
            "measure": "What you will count or rate, e.g. panic-free trips per week.",
            "unit": "e.g. trips, hours, points on a 0-10 scale.",
            "relevance": "Quote the patient where you can.",
        }

    def __init__(self, *args, today: datetime.date, proposing: bool, put_forward: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.proposing = proposing
        self.put_forward = put_forward
        if not put_forward:
            del self.fields["reason"]
            del self.fields["agree"]

    def clean(self):
        cleaned = super().clean()
        for field, message in wording_errors(cleaned, today=self.today).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if self.proposing or self.put_forward:
            for part in missing_parts(cleaned):
                for field in part.fields:
                    if field not in self.errors and not _filled(cleaned.get(field)):
                        self.add_error(field, f"Needed before agreement. {part.missing}")
        wording_changed = set(self.changed_data) & set(WORDING_FIELDS)
        if self.put_forward and wording_changed and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the wording changes: both will see it.")
        return cleaned

    def missing_parts(self):
        """The SMART parts still empty, once the form has been checked for proposing."""
        if not (self.proposing or self.put_forward) or not hasattr(self, "cleaned_data"):
            return []
        return missing_parts(self.cleaned_data)

    def wording(self) -> dict:
        return {name: self.cleaned_data[name] for name in WORDING_FIELDS}

    def smart_parts(self):
        """(part, bound fields) for the template, one fieldset per SMART letter."""
        extra = {"M": ["direction"], "T": ["priority"]}
        for part in PARTS:
            names = [*part.fields, *extra.get(part.letter, [])]
            yield part, [self[name] for name in names]

    def gas_fields(self):
        return [self[name] for name in GAS_FIELDS]


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


class AnswerForm(InputLimits, forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[(Agreement.AGREE, "I agree"), (Agreement.DISAGREE, "I disagree")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="What would you change?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you disagree.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Agreement.DISAGREE and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what you would change, so it can be talked over.")
        return cleaned


class TherapistAnswerForm(AnswerForm):
    """The therapist answers for themself, or records the patient's answer from a session."""

    whose = forms.ChoiceField(
        label="Whose answer",
        choices=[
            ("therapist", "My own answer"),
            ("patient", "The patient's answer, given in a session"),
        ],
        widget=forms.RadioSelect,
        initial="therapist",
    )
    field_order = ["whose", "answer", "comment", "version"]


class ProgressForm(InputLimits, forms.Form):
    recorded_on = forms.DateField(label="Date", widget=DateInput())
    value = forms.DecimalField(label="Value", required=False, max_digits=9, decimal_places=2)
    gas_level = forms.TypedChoiceField(
        label="Attainment level", required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, goal: Goal, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = today
        if goal.unit:
            self.fields["value"].label = f"Value ({goal.unit})"
        if goal.has_gas:
            self.fields["gas_level"].choices = [("", "Not rated")] + [
                (level, f"{level:+d}: {text}" if level else f"0: {text}")
                for level, text in goal.gas_levels()
            ]
        else:
            del self.fields["gas_level"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is None and cleaned.get("gas_level") is None:
            self.add_error("value", "Enter a value, an attainment level, or both.")
        return cleaned


class ReviewForm(InputLimits, forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput())
    outcome = forms.ChoiceField(
        label="Outcome", choices=GoalReview.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = today


class ReasonForm(InputLimits, forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
