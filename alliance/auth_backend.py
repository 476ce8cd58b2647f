from django.contrib.auth.backends import ModelBackend

from alliance.models import User


class EmailBackend(ModelBackend):
    """Email login; the clinic comes with the user so access checks need no extra query."""

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("clinic").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
