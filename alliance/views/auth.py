from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from alliance.forms.auth import LoginForm
from alliance.tokens import invitation_token_generator

login = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()

password_reset = auth_views.PasswordResetView.as_view(
    template_name="registration/password_reset.html",
    email_template_name="registration/password_reset_email.txt",
    html_email_template_name="registration/password_reset_email.html",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/set_password.html",
    extra_context={"title": "Choose a new password"},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)

# An invitation is a set-password link with its own token salt; setting the password logs
# the person in and spends the link.
invitation_accept = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/set_password.html",
    token_generator=invitation_token_generator,
    post_reset_login=True,
    post_reset_login_backend="alliance.auth_backend.EmailBackend",
    success_url=reverse_lazy("home"),
    extra_context={"title": "Welcome: choose your password"},
)
