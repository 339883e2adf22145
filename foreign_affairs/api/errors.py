"""The one error shape of the API: {"detail", "code", "errors": [...]} (+ extras for 409)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from foreign_affairs.errors import RulesFailed, StateConflict


def _flatten(detail, field=""):
    """Turn DRF's nested error detail into [{"field", "code", "message"}]."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # a list serializer's errors, by position
                yield from _flatten(value, f"{field}[{key}]")
                continue
            name = key if key not in ("non_field_errors", "__all__") else ""
            yield from _flatten(value, f"{field}.{name}" if field and name else (name or field))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                yield from _flatten(value, f"{field}[{index}]")
            else:
                yield from _flatten(value, field)
    else:
        error = {"code": getattr(detail, "code", "invalid"), "message": str(detail)}
        if field:
            error = {"field": field, **error}
        yield error


def exception_handler(exc, context):
    """Every API error has one shape: {"detail", "code", "errors": [...]} (+ state and transitions on 409).

    Domain errors and Django's own ValidationError, PermissionDenied and Http404 raised by services are
    mapped here (409, 400, 403, 404) so that services need not know about HTTP.
    """
    if isinstance(exc, StateConflict):
        return Response(
            {
                "detail": str(exc.message),
                "code": "conflict",
                "errors": [],
                "state": exc.state,
                "available_transitions": exc.available,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ConcurrentTransition):
        # Another request changed the object's state since it was read: the same answer as a state
        # that does not allow the transition (the client reads the object again).
        return Response(
            {
                "detail": _("Someone else changed this in the meantime. Load it again and retry."),
                "code": "conflict",
                "errors": [],
                "state": "",
                "available_transitions": [],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RulesFailed):
        return Response(
            {"detail": str(exc.message), "code": "rules_failed", "errors": exc.findings},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "detail": _("The request has errors; see the list of errors."),
            "code": "invalid",
            "errors": list(_flatten(exc.detail)),
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "detail": str(getattr(exc, "detail", exc)),
            "code": codes if isinstance(codes, str) else "error",
            "errors": [],
        }
        body.update(getattr(exc, "extra", {}))
    response.data = body
    return response
