from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time set-password links for invited people.

    The token hashes the password, so it stops working once a password is set (single use),
    and it expires after PASSWORD_RESET_TIMEOUT (72 hours). Its own salt keeps invitation
    links and password-reset links from standing in for each other.
    """

    key_salt = "alliance.tokens.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()
