from django import forms


class PortalInviteForm(forms.Form):
    email = forms.EmailField(
        label="The patient's email",
        help_text="They receive a link to set their password. It works once, within 72 hours.",
    )
