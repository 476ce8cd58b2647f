"""The four 0-10 alliance questions, and the password that ends patient mode."""

from django import forms

from sessions_log.models.ratings import ITEMS

SCALE = [(number, str(number)) for number in range(11)]


class ScaleRadios(forms.RadioSelect):
    """Radios drawn as large buttons (Bootstrap's btn-check) by ratings/scale.html."""

    def __init__(self):
        super().__init__(attrs={"class": "btn-check"})


class RatingForm(forms.Form):
    """The same four items for both raters: the patient sees their plain-words question,
    the therapist the item's name with that question beside it."""

    def __init__(self, *args, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, short in ITEMS:
            if audience == "patient":
                label, help_text = question, ""
            else:
                label, help_text = short, f"The patient is asked: “{question}”"
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                help_text=help_text,
                choices=SCALE,
                coerce=int,
                widget=ScaleRadios(),
                error_messages={"required": "Choose a number from 0 to 10."},
            )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _, _ in ITEMS}


class PatientModeExitForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Patient mode stays on.", code="wrong_password"
            )
        return password
