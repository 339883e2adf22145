"""Password reset pages: Django's, with limits per client and per address, the e-mail sent by a task
(accounts.tasks), and the sign-in lock lifted once the new password is set."""

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from foreign_affairs.ratelimit import exceeded

from . import throttling
from .forms import QueuedPasswordResetForm

# Requests per hour: from one client, and for one address (past that, nothing more is sent, silently:
# the page must not tell whether the address has an account).
PER_CLIENT, PER_ADDRESS, WINDOW = 5, 3, 3600


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        if exceeded(self.request, "password-reset", limit=PER_CLIENT, seconds=WINDOW):
            form.add_error(None, _("Too many requests from your connection. Try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        address = form.cleaned_data["email"].strip().lower()
        if exceeded(self.request, "password-reset-address", limit=PER_ADDRESS, seconds=WINDOW, key=address):
            return super(auth_views.PasswordResetView, self).form_valid(form)  # the same page, no e-mail
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        throttling.clear(form.user.get_username())
        return response
