"""Text messages (the "sms" channel of notify()): the backend interface and the two backends for
development and tests.

The portal ships no gateway of its own. SMS is off until NOTIFICATION_SMS_BACKEND names a backend
class by its dotted path; while it is empty, notify() skips the "sms" channel silently (as it skips
e-mail for a user without an address), and so it does for a user without a phone number (User.phone).

Plugging in a real gateway (an operator's or a cloud SMS service): write a class with a method
`send(phone, text)` that delivers one message or raises an exception, put it in a module of its own and
name it in the environment, e.g. NOTIFICATION_SMS_BACKEND=myoffice.sms.GatewayBackend. It is created
once per message, without arguments, by the `notifications.deliver` task (a Celery worker, never a web
request), so it reads its own credentials from the environment in __init__ (never from the database).
A raised exception is counted as a failed attempt and retried with back-off like an e-mail
(NOTIFICATION_MAX_ATTEMPTS, NOTIFICATION_RETRY_BASE_SECONDS); an unknown number should raise too, so that
the failure shows in the outbox. Gateways in China usually require an approved signature (【…】) and
template: add them in the backend, which receives the whole text. The text is the notification's
subject in the recipient's language and the link into the portal (sms_text()).

For development: ConsoleBackend prints each message to the console. For tests: LocmemBackend keeps them
in `outbox`, as Django's locmem e-mail backend does.
"""

import sys
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class BaseBackend:
    """What a backend implements: deliver one text to one phone number, or raise."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Prints each message (development, the embedded demo)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str) -> None:
        self.stream.write(f"SMS to {phone}:\n{text}\n{'-' * 79}\n")
        self.stream.flush()


class Message:
    """A message the locmem backend kept."""

    def __init__(self, phone: str, text: str):
        self.phone, self.text = phone, text

    def __repr__(self):
        return f"<SMS to {self.phone}: {self.text[:40]!r}>"


# The messages LocmemBackend "sent" in this process; tests empty it before they look.
outbox: list[Message] = []
_lock = threading.Lock()


class LocmemBackend(BaseBackend):
    """Keeps each message in `outbox` (tests)."""

    def send(self, phone: str, text: str) -> None:
        with _lock:
            outbox.append(Message(phone, text))


def is_configured() -> bool:
    """Whether text messages can be sent at all (a backend is named)."""
    return bool(settings.NOTIFICATION_SMS_BACKEND)


def get_backend() -> BaseBackend:
    """A new instance of the configured backend (ImproperlyConfigured or ImportError if there is none)."""
    if not is_configured():
        raise ImproperlyConfigured("NOTIFICATION_SMS_BACKEND is not set: text messages are off.")
    return import_string(settings.NOTIFICATION_SMS_BACKEND)()


def sms_text(notification) -> str:
    """What a text message says: the subject in the recipient's language, and the full link if any."""
    if notification.link:
        return f"{notification.subject} {settings.PORTAL_BASE_URL}{notification.link}"
    return notification.subject
