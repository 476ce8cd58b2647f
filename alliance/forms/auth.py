from django import forms
from django.contrib.auth.forms import AuthenticationForm

from alliance.forms.limits import InputLimits


class LoginForm(InputLimits, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email and password do not match an account. Check both and try again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "autocapitalize": "none"}
        )
        self.fields["username"].label = "Email"
