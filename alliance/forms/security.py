import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from alliance.models import Patient

# The earliest date the access log can be asked about; any later date up to today.
EARLIEST = datetime.date(2000, 1, 1)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class PatientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, patient):
        return (
            f"{patient.family_name}, {patient.given_name} (born {patient.date_of_birth:%d %b %Y})"
        )


class AccessLogForm(InputLimits, forms.Form):
    patient = PatientChoiceField(label="Patient", queryset=Patient.objects.none())
    date_from = forms.DateField(label="From", widget=DateInput())
    date_to = forms.DateField(label="To", widget=DateInput())

    def __init__(self, *args, clinic, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["patient"].queryset = Patient.objects.filter(clinic=clinic).order_by(
            "family_name", "given_name"
        )
        self.fields["date_from"].initial = today - datetime.timedelta(days=30)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and not EARLIEST <= start <= self.today:
            self.add_error("date_from", f"Choose a date from {EARLIEST:%Y} up to today.")
        if end and not EARLIEST <= end <= self.today:
            self.add_error("date_to", f"Choose a date from {EARLIEST:%Y} up to today.")
        if start and end and start > end:
            self.add_error("date_to", "The end comes on or after the start.")
        return data
