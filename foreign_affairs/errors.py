"""Domain errors raised by services, independent of HTTP. Views turn them into messages, the API into
its one error shape (foreign_affairs.api.errors): 409 and 400."""

from django.utils.translation import gettext_lazy as _


class StateConflict(Exception):
    """The object's current state does not allow the request (409)."""

    def __init__(self, message=None, *, state: str, available: list[str]):
        super().__init__(message or _("This is not possible in the current state."))
        self.message = message or _("This is not possible in the current state.")
        self.state = state
        self.available = available


class RulesFailed(Exception):
    """Business rules refuse the request (400); `findings` are [{"code", "severity", "message"}]."""

    def __init__(self, message, *, findings: list[dict]):
        super().__init__(message)
        self.message = message
        self.findings = findings
