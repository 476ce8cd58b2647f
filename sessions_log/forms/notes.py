from django import forms

from alliance.forms.limits import InputLimits
from decisions.models import DecisionTalk
from goals.models import Goal
from sessions_log.models import Session
from sessions_log.models.session import COMMUNICATION, NOTE_FIELDS, PATIENT_CENTRED

SHORTEST, LONGEST = 1, 600  # a session's minutes
TEXT = forms.Textarea(attrs={"rows": 4})
SHORT = forms.Textarea(attrs={"rows": 2})


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class SessionForm(InputLimits, forms.ModelForm):
    """The note as typed. Completeness is checked at signing, never when saving a draft."""

    starts_at = forms.DateTimeField(
        label="Date and time", widget=DateTimeLocal(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    communication = forms.MultipleChoiceField(
        label="Communication: what I drew on",
        choices=COMMUNICATION,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    patient_centred = forms.MultipleChoiceField(
        label="Patient-centred care: dimensions present",
        choices=PATIENT_CENTRED,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decisions = forms.ModelMultipleChoiceField(
        label="Decisions discussed",
        queryset=DecisionTalk.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    private_note = forms.CharField(
        label="Psychotherapy note (private)",
        required=False,
        widget=TEXT,
        help_text="Kept apart from the record: only you will ever see it. Not the patient, "
        "not your supervisor.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
    # This opening of the form, and how many saves it has sent (sessions_log.services.notes).
    page_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    page_seq = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Session
        # The note's own fields; the two lists of checkboxes are declared above.
        fields = [f for f in NOTE_FIELDS if f not in ("communication", "patient_centred")]
        labels = {
            "duration_minutes": "Duration (minutes)",
            "note_format": "Note form",
            "risk_level": "Risk reviewed",
        }
        help_texts = {
            "risk_plan": "Needed when the risk is above none.",
            "repair": "If the alliance was strained: what you discussed and what changes. "
            "Signing a note with a repair closes the open alliance alerts.",
        }
        widgets = {
            "subjective": TEXT,
            "objective": TEXT,
            "data": TEXT,
            "assessment": TEXT,
            "plan": TEXT,
            "homework": SHORT,
            "next_steps": SHORT,
            "risk_plan": SHORT,
            "repair": SHORT,
        }

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decisions"].queryset = DecisionTalk.objects.filter(alliance=alliance)
        self.fields["duration_minutes"].widget.attrs.update(min=SHORTEST, max=LONGEST)

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not SHORTEST <= minutes <= LONGEST:
            raise forms.ValidationError(
                f"A session lasts between {SHORTEST} and {LONGEST} minutes."
            )
        return minutes

    def note_fields(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["communication"] = self.cleaned_data["communication"]
        values["patient_centred"] = self.cleaned_data["patient_centred"]
        return values


class GoalWorkForm(forms.Form):
    """Progress on one agreed goal, noted in the session; it becomes goal progress at signing."""

    worked_on = forms.BooleanField(required=False)
    value = forms.DecimalField(required=False, max_digits=9, decimal_places=2)
    gas_level = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    comment = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, prefix=f"goal-{goal.id}", **kwargs)
        self.goal = goal
        self.fields["worked_on"].label = goal.title
        self.fields["value"].label = f"Value ({goal.unit})" if goal.unit else "Value"
        self.fields["comment"].label = "Comment"
        if goal.has_gas:
            self.fields["gas_level"].label = "Attainment level"
            self.fields["gas_level"].choices = [("", "Not rated")] + [
                (level, f"{level:+d}: {text}" if level else f"0: {text}")
                for level, text in goal.gas_levels()
            ]
        else:
            del self.fields["gas_level"]

    def work(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("worked_on"):
            return None
        return {
            "goal": self.goal,
            "value": data.get("value"),
            "gas_level": data.get("gas_level"),
            "comment": data.get("comment", ""),
        }


class AddendumForm(InputLimits, forms.Form):
    reason = forms.CharField(label="Why the addendum", max_length=300)
    text = forms.CharField(label="Addendum", widget=TEXT)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="What was wrong", max_length=300)


class CosignForm(InputLimits, forms.Form):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        widget=SHORT,
        help_text="The therapist sees it under the note.",
    )


class CommentForm(InputLimits, forms.Form):
    text = forms.CharField(label="Comment", widget=SHORT)
