"""Row 3: schemathesis over the whole OpenAPI schema, for each role, in-process against the WSGI application
(no server). The schema is the one the portal serves at /api/schema/. Each operation gets a few generated
requests (valid and invalid data, random ids and ids of real objects: the caller's own and another
organisation's), sent with the role's API token; every answer goes through four of schemathesis' checks:
no server error, a documented status code, a body that matches the documented schema, a documented content
type. Failures are reported per check; one named in baseline.json ("schemathesis_accepted") with its reason
is not counted.

Every request runs in a savepoint that is rolled back (state changes included: transitions, uploads, a
revoked token), inside the test's own transaction on the verify database, so the next request finds the
demo data as it was. Rate limits are measured in test_rate_limits.py; here they are off, so that no answer
is a 429 of the run's own making.
"""

import os
import re
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exchanges.api.media import MediaRequestThrottle
from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.selectors import scope_for_user
from projects.api.interest_door import InterestThrottle
from training.api.sessions import CheckInThrottle

from .figures import SCHEMATHESIS_CHECKS
from .policy import PERSONAL

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "liaison", "officer", "leader", "manager"]
CHECKS = {
    check.__name__: check
    for check in (
        not_a_server_error,
        status_code_conformance,
        response_schema_conformance,
        content_type_conformance,
    )
}
assert tuple(CHECKS) == SCHEMATHESIS_CHECKS
# Generated requests per operation and role (a little more, slowly: VERIFY_EXAMPLES=50 make verify).
EXAMPLES = int(os.environ.get("VERIFY_EXAMPLES", "12"))


@pytest.fixture
def in_process():
    """Requests through the WSGI handler in this thread, as Django's test client sends them: the handler's
    request signals must not close the test's connection (and with it the transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _ids(operation, user) -> list[str]:
    """Values for the operation's path parameter that name real objects: one the caller may see (their own
    organisation's, or their own) and another one (another organisation's, or anyone's), as the viewset
    looks them up."""
    if not operation.path_parameters:
        return []
    try:
        view = resolve(re.sub(r"\{(\w+)\}", r"\1", operation.path)).func
    except Resolver404:
        return []
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    if queryset is None:
        return []
    model = queryset.model
    objects = model._default_manager.order_by("-pk")
    mine = None
    if user is not None and model._meta.label_lower in PERSONAL:
        mine = objects.filter(**{PERSONAL[model._meta.label_lower]: user.pk}).first()
    elif user is not None and hasattr(model, "organization_lookup"):
        mine = scope_for_user(objects, user).first()
    other = objects.exclude(pk=mine.pk).first() if mine is not None else objects.first()
    lookup = view.cls.lookup_field
    return [str(getattr(obj, lookup)) for obj in (mine, other) if obj is not None]


def _strategy(operation, user):
    """Half valid and invalid data with random ids, half valid data with the ids of real objects."""
    generated = st.one_of(
        operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )
    ids = _ids(operation, user)
    if not ids:
        return generated
    [name] = [parameter.name for parameter in operation.path_parameters]
    real = st.sampled_from(ids).flatmap(
        lambda value: operation.as_strategy(GenerationMode.POSITIVE, path_parameters={name: value})
    )
    return st.one_of(generated, real)


def _routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _request(case) -> str:
    """The request, to reproduce it (`curl` in schemathesis' words is longer and hides the token anyway)."""
    query = "&".join(f"{key}={value}" for key, value in (case.query or {}).items())
    body = "" if case.body is NOT_SET or case.body is None else f" body={case.body!r}"[:300]
    return f"{case.method.upper()} {case.formatted_path}{'?' + query if query else ''}{body}"


class Fuzz:
    """One role's run: its token, and what it found (each failure once per check, operation and status)."""

    def __init__(self, role: str, user, figures):
        self.role, self.user, self.figures = role, user, figures
        self.headers = {}
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            self.headers["Authorization"] = f"Token {token.key}"
        self.statuses = Counter()
        self.answered = set()  # operations that answered 2xx at least once (their body was checked)
        self.seen = set()

    def operation(self, operation) -> None:
        @settings(
            max_examples=EXAMPLES,
            database=None,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, self.user))
        def run(case):
            self.case(operation, case)

        run()
        self.figures.add("schemathesis.operations")
        if operation.label in self.answered:
            self.figures.add("schemathesis.operations_2xx")

    def case(self, operation, case) -> None:
        with transaction.atomic():
            response = case.call(headers=self.headers)
            transaction.set_rollback(True)
        self.statuses[response.status_code] += 1
        if 200 <= response.status_code < 300:
            self.answered.add(operation.label)
        self.figures.add("schemathesis.cases")
        for name, check in CHECKS.items():
            try:
                case.validate_response(response, checks=[check], headers=self.headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    key = (name, operation.label, failure.title, response.status_code)
                    if key not in self.seen:
                        self.seen.add(key)
                        self.figures.note(
                            "schemathesis.failures",
                            {
                                "role": self.role,
                                "check": name,
                                "operation": operation.label,
                                "title": failure.title,
                                "status": response.status_code,
                                "routed": _routed(case.formatted_path),
                                "message": " ".join(failure.message.split())[:400],
                                "request": _request(case),
                            },
                        )


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_its_schema_says(role, demo, in_process, figures, monkeypatch):
    started = time.monotonic()
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    monkeypatch.setattr(InterestThrottle, "allow_request", lambda self, request, view: True)
    monkeypatch.setattr(MediaRequestThrottle, "allow_request", lambda self, request, view: True)
    monkeypatch.setattr(CheckInThrottle, "allow_request", lambda self, request, view: True)
    fuzz = Fuzz(role, None if role == "anonymous" else User.objects.get(username=role), figures)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", in_process)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50, "the schema lost its operations"
    for operation in operations:
        fuzz.operation(operation)
    figures.note("schemathesis.roles", role)
    figures.note("schemathesis.statuses", {role: dict(sorted(fuzz.statuses.items()))})
    figures.timed("schemathesis", time.monotonic() - started)
