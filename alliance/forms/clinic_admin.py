import datetime

from django import forms

from alliance.forms.limits import InputLimits
from alliance.forms.widgets import DateInput
from alliance.models import Role, User
from alliance.selectors import clinic_clinicians


class StaffInviteForm(InputLimits, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Work email")
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (Role.THERAPIST, Role.THERAPIST.label),
            (Role.SUPERVISOR, Role.SUPERVISOR.label),
            (Role.CLINIC_ADMIN, Role.CLINIC_ADMIN.label),
        ],
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already has an account with this email.")
        return email


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.get_role_display().lower()})"


class SupervisionForm(InputLimits, forms.Form):
    supervisor = forms.ModelChoiceField(label="Supervisor", queryset=User.objects.none())
    therapist = ClinicianChoiceField(label="Supervises", queryset=User.objects.none())
    starts_on = forms.DateField(label="From", widget=DateInput())
    requires_cosign = forms.BooleanField(
        label="Notes need the supervisor's co-signature",
        required=False,
        help_text="For pre-licensed therapists.",
    )

    def __init__(self, *args, clinic, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        clinicians = clinic_clinicians(clinic=clinic)
        self.fields["supervisor"].queryset = clinicians.filter(role=Role.SUPERVISOR)
        self.fields["therapist"].queryset = clinicians
        self.fields["starts_on"].initial = today

    def clean(self):
        cleaned = super().clean()
        supervisor, therapist = cleaned.get("supervisor"), cleaned.get("therapist")
        if supervisor and therapist and supervisor == therapist:
            self.add_error("therapist", "Nobody supervises themselves: choose someone else.")
        return cleaned


class SupervisionEndForm(InputLimits, forms.Form):
    ends_on = forms.DateField(label="Last day", widget=DateInput())


class PatientAssignForm(InputLimits, forms.Form):
    therapist = ClinicianChoiceField(label="Therapist", queryset=User.objects.none())
    starts_on = forms.DateField(label="From", widget=DateInput())

    def __init__(self, *args, clinic, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = clinic_clinicians(clinic=clinic)
        self.fields["starts_on"].initial = today
