import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from decisions.models import DecidedBy, DecisionTalk, Option, ReviewOutcome, StepCheck
from decisions.services import StepEntry
from goals.models import Goal

TEXTAREA = forms.Textarea(attrs={"rows": 3})
APPEAL_CHOICES = [("", "Not asked yet")] + [
    (str(n), f"{n}{' (not at all)' if n == 0 else ' (very much)' if n == 10 else ''}")
    for n in range(11)
]


class TalkForm(InputLimits, forms.ModelForm):
    offer_no_change = forms.BooleanField(
        label="Offer “no change for now: wait and see” as one of the options",
        required=False,
        initial=True,
        help_text="Usually a real option. You can set it aside later if it is not.",
    )

    class Meta:
        model = DecisionTalk
        fields = ["question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "question": "As the patient would say it, e.g. “Should I try going back to work "
            "part-time now, or wait?”"
        }

    def __init__(self, *args, starting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not starting:
            del self.fields["offer_no_change"]


class ChecklistForm(InputLimits, forms.Form):
    """The current stage's steps: done or not, the day, and a note, three fields per step."""

    def __init__(self, *args, steps: list[StepCheck], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        self.today = today
        for step in steps:
            self.fields[f"{step.key}-done"] = forms.BooleanField(
                label=step.label, required=False, initial=step.done, help_text=step.hint
            )
            self.fields[f"{step.key}-done_on"] = forms.DateField(
                label="When", required=False, initial=step.done_on, widget=DateInput()
            )
            self.fields[f"{step.key}-note"] = forms.CharField(
                label="Note",
                required=False,
                initial=step.note,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def clean(self):
        cleaned = super().clean()
        for step in self.steps:
            done_on = cleaned.get(f"{step.key}-done_on")
            if done_on and done_on > self.today:
                self.add_error(f"{step.key}-done_on", "Choose today or an earlier day.")
        return cleaned

    def rows(self):
        """(step, done field, date field, note field) for the template."""
        for step in self.steps:
            yield (
                step,
                self[f"{step.key}-done"],
                self[f"{step.key}-done_on"],
                self[f"{step.key}-note"],
            )

    def entries(self) -> list[StepEntry]:
        return [
            StepEntry(
                key=step.key,
                done=self.cleaned_data[f"{step.key}-done"],
                done_on=self.cleaned_data[f"{step.key}-done_on"],
                note=self.cleaned_data[f"{step.key}-note"],
            )
            for step in self.steps
        ]


class OptionForm(InputLimits, forms.ModelForm):
    appeal = forms.TypedChoiceField(
        label="How much it appeals to the patient",
        choices=APPEAL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Ask: “From 0 to 10, how much does this one appeal to you?”",
    )

    class Meta:
        model = Option
        fields = ["title", "description", "benefits", "drawbacks", "appeal", "patient_words"]
        widgets = {
            "description": TEXTAREA,
            "benefits": TEXTAREA,
            "drawbacks": TEXTAREA,
            "patient_words": TEXTAREA,
        }
        help_texts = {
            "title": "e.g. “Weekly sessions with gradual steps back to work”.",
            "benefits": "What it may bring, in plain words.",
            "drawbacks": "What it may cost or risk, in plain words.",
            "patient_words": "Quote the patient where you can.",
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PreferenceForm(forms.Form):
    text = forms.CharField(
        label="What matters",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "In the patient's words"}),
    )


class BasePreferenceFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Place"

    def items(self) -> list[str]:
        """The preferences in the order given (blank ones dropped)."""
        return [form.cleaned_data.get("text", "") for form in self.ordered_forms]


PreferenceFormSet = forms.formset_factory(
    PreferenceForm, formset=BasePreferenceFormSet, extra=0, can_order=True, max_num=20
)
BLANK_ROWS = 3


def preference_rows(texts: list[str]) -> list[dict]:
    """The formset's rows: the list as it stands, then blank lines numbered to follow it."""
    rows = [{"text": text, "ORDER": place} for place, text in enumerate(texts, start=1)]
    following = range(len(texts) + 1, len(texts) + 1 + BLANK_ROWS)
    return rows + [{"text": "", "ORDER": place} for place in following]


class DecideForm(InputLimits, forms.Form):
    chosen_option = forms.ModelChoiceField(
        label="The option chosen",
        queryset=Option.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the option the patient settled on."},
    )
    decided_by = forms.ChoiceField(
        label="Who decided",
        choices=DecidedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who made the decision."},
    )
    reason = forms.CharField(
        label="Why, in the patient's words",
        widget=TEXTAREA,
        error_messages={"required": "Write why, in the patient's words."},
    )
    review_on = forms.DateField(
        label="Review date",
        widget=DateInput(),
        help_text="When you will look at the decision again together.",
    )

    def __init__(self, *args, talk: DecisionTalk, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["chosen_option"]
        field.queryset = talk.options.filter(withdrawn_at__isnull=True)
        field.label_from_instance = lambda option: option.title
        self.fields["review_on"].initial = today + datetime.timedelta(weeks=4)

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on <= self.today:
            raise forms.ValidationError("Choose a review date after today.")
        return review_on


class DeferForm(InputLimits, forms.Form):
    reason = forms.CharField(label="Why it waits", widget=TEXTAREA)
    come_back_on = forms.DateField(label="Come back to it on", widget=DateInput())

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["come_back_on"].initial = today + datetime.timedelta(weeks=2)

    def clean_come_back_on(self):
        come_back_on = self.cleaned_data["come_back_on"]
        if come_back_on <= self.today:
            raise forms.ValidationError("Choose a date after today.")
        return come_back_on


class ReviewForm(InputLimits, forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput())
    outcome = forms.ChoiceField(
        label="Does the decision still fit?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the decision still fits."},
    )
    note = forms.CharField(
        label="What the patient said",
        required=False,
        widget=TEXTAREA,
        help_text="Needed if the talk is reopened: what has changed.",
    )
    next_review_on = forms.DateField(
        label="Next review (if it still fits)",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to close the talk with this review.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = today


class GoalStartForm(InputLimits, forms.Form):
    """The goal's first words, pre-filled from the decision; the rest is set on the goal."""

    description = forms.CharField(label=Goal._meta.get_field("description").verbose_name)
    steps = forms.CharField(label="Steps", required=False)
    barriers = forms.CharField(label=Goal._meta.get_field("barriers").verbose_name, required=False)
    relevance = forms.CharField(
        label=Goal._meta.get_field("relevance").verbose_name, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.Textarea(attrs={"rows": 3})
            field.label = str(field.label)[:1].upper() + str(field.label)[1:]
