"""Thin tasks of the accounts: the password reset e-mail."""

from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


@shared_task(name="accounts.send_password_reset", acks_late=True)
def send_password_reset(email: str, language: str) -> int:
    """Send the reset link to every active account with this address (none: nothing), in `language`, with
    links on PORTAL_BASE_URL. The token is made here and only travels in the e-mail. Returns how many
    e-mails were sent. Running it twice sends a second, equally valid link — harmless."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    base = urlsplit(settings.PORTAL_BASE_URL)
    with translation.override(language):
        form.save(domain_override=base.netloc, use_https=base.scheme == "https")
    return len(list(form.get_users(email)))
