import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from alliance.models import Alliance, Patient


class PatientAddForm(InputLimits, forms.ModelForm):
    started_on = forms.DateField(
        label="First session (or referral) date",
        widget=DateInput(),
        help_text="When this episode of care begins.",
    )

    class Meta:
        model = Patient
        fields = ["given_name", "family_name", "preferred_name", "date_of_birth", "email", "phone"]
        labels = {
            "given_name": "Given name",
            "family_name": "Family name",
            "preferred_name": "Preferred name",
            "date_of_birth": "Date of birth",
            "email": "Email",
            "phone": "Phone",
        }
        help_texts = {"preferred_name": "What the patient likes to be called, if different."}
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["started_on"].initial = today

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < self.today.year - 120:
            raise forms.ValidationError("Check the year: that is more than 120 years ago.")
        return born

    def clean_started_on(self):
        started = self.cleaned_data["started_on"]
        if started > self.today + datetime.timedelta(days=365):
            raise forms.ValidationError("Choose a date within the coming year.")
        return started

    def clean(self):
        cleaned = super().clean()
        born, started = cleaned.get("date_of_birth"), cleaned.get("started_on")
        if born and started and started < born:
            self.add_error("started_on", "Care cannot start before the patient was born.")
        return cleaned


class AllianceEndForm(InputLimits, forms.Form):
    ended_on = forms.DateField(label="Last day of this episode of care", widget=DateInput())
    reason = forms.ChoiceField(label="Why it ends", choices=Alliance.EndReason.choices)

    def __init__(self, *args, alliance: Alliance, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance = alliance
        self.today = today
        self.fields["ended_on"].initial = today

    def clean_ended_on(self):
        ended = self.cleaned_data["ended_on"]
        if ended < self.alliance.started_on:
            raise forms.ValidationError(
                f"The end cannot come before the start ({self.alliance.started_on:%d %b %Y})."
            )
        if ended > self.today:
            raise forms.ValidationError("An alliance ends today or on a past date.")
        return ended
