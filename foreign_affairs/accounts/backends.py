"""The one sign-in lock, behind every door that checks a password (the portal's form, the back office,
the API's token endpoint): anything that calls django.contrib.auth.authenticate() comes here."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttling


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing a locked account without looking at the password.

    After throttling.MAX_FAILURES failures for a username, no password is checked for
    throttling.LOCK_SECONDS, the right one neither (so a lock cannot be used to test guesses).
    PermissionDenied stops authenticate() at once and counts one more failure.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model_username_field())
        if throttling.is_locked(username or ""):
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def get_user_model_username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
