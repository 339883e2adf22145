"""The API's OpenAPI schema: drf-spectacular's AutoSchema, plus the error answers of every operation.

Each operation documents the errors it can give, in the one error shape of foreign_affairs.api.errors
(`Error`; `Conflict` for 409), decided here from what the operation is rather than declared on every view:

- 400 on writes, and on reads whose query parameters are checked (pagination, django-filter's filters,
  parameters a view declares);
- 401 wherever credentials are read (wrong ones are refused even where none are needed);
- 403 on writes (roles, organisation, the CSRF check of a session) and where a permission beyond being
  signed in applies;
- 404 on routes of one object (absent, or outside the caller's organisation) and on paginated lists (a
  page past the last);
- 415 where a body is read and comes in a media type the operation does not read;
- 429 wherever a throttle applies (all of the API), with Retry-After.

409 depends on the service behind an operation, so views declare it (`responses={409: conflict(...)}`,
as foreign_affairs.api.actions does for transitions). An error a view declares with a description only
gets the shape filled in here.

DRF's search and ordering filters are declared as DRF applies them (the extensions at the end): `search`
only where a view has `search_fields`, `ordering` with the names it accepts.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions, serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        required=False,
        help_text="The input or query parameter at fault, as a path (`legs[0].leave_on`); absent when the "
        "error is about the request as a whole.",
    )
    code = serializers.CharField(
        help_text="What is wrong, for programs (`required`, `invalid`, a rule's code…)."
    )
    message = serializers.CharField(help_text="What is wrong, for people (in the caller's language).")
    severity = serializers.ChoiceField(
        choices=["error", "warning"], required=False, help_text="Rule findings (code `rules_failed`) only."
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(
        help_text="What went wrong, for programs: `invalid`, `rules_failed`, `not_authenticated`, "
        "`authentication_failed`, `permission_denied`, `not_found`, `conflict`, `throttled`…"
    )
    errors = ErrorItemSerializer(many=True, help_text="Each problem with the input; empty for other errors.")


class ConflictSerializer(ErrorSerializer):
    """A 409: the object's current state does not allow the request."""

    state = serializers.CharField(help_text="The object's current state.")
    available_transitions = serializers.ListField(
        child=serializers.CharField(), help_text="The transitions the caller may run now."
    )


def conflict(description: str = "Not possible in the current state") -> OpenApiResponse:
    """A 409 answer for `extend_schema(responses=...)`."""
    return OpenApiResponse(ConflictSerializer, description=description)


SAFE_METHODS = frozenset(permissions.SAFE_METHODS)
NO_PERMISSION_BEYOND_SIGN_IN = (permissions.AllowAny, permissions.IsAuthenticated)


class PortalAutoSchema(AutoSchema):
    def get_operation_id(self):
        operation_id = super().get_operation_id()
        # `history/` was published as `..._history_retrieve` before its answer was documented as the list it
        # is; clients generated from the schema keep the name of their method.
        if getattr(self.view, "action", None) == "history" and operation_id.endswith("_history_list"):
            return operation_id.removesuffix("_list") + "_retrieve"
        return operation_id

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for status_code, description in self._error_answers(operation):
            response = responses.setdefault(str(status_code), {"description": description})
            if "content" not in response:
                documented = self._get_response_for_code(
                    ConflictSerializer if status_code == 409 else ErrorSerializer, str(status_code)
                )
                response["content"] = documented["content"]
                response["description"] = response.get("description") or description
            if status_code == 429:
                response.setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before trying again.",
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_answers(self, operation) -> list[tuple[int, str]]:
        parameters = operation.get("parameters", [])
        writes = self.method in ("POST", "PUT", "PATCH")
        security = operation.get("security", [])
        sign_in_required = bool(security) and {} not in security
        answers = []
        paginated = self._is_list_view() and self._get_paginator() is not None
        filtered = any(
            issubclass(backend, DjangoFilterBackend) for backend in self.get_filter_backends()
        ) and (getattr(self.view, "filterset_class", None) or getattr(self.view, "filterset_fields", None))
        declared = any(
            isinstance(parameter, OpenApiParameter) and parameter.location == OpenApiParameter.QUERY
            for parameter in self.get_override_parameters()
        )
        if writes or "requestBody" in operation or paginated or filtered or declared:
            answers.append((400, "The input or a query parameter is invalid: `errors` names each problem"))
        if security:
            answers.append(
                (
                    401,
                    "Not signed in, or the credentials are invalid"
                    if sign_in_required
                    else "Invalid credentials",
                )
            )
        beyond_sign_in = any(
            type(permission) not in NO_PERMISSION_BEYOND_SIGN_IN for permission in self.view.get_permissions()
        )
        if self.method not in SAFE_METHODS or (sign_in_required and beyond_sign_in):
            answers.append((403, "Your role or organisation does not allow it"))
        one_object = any(parameter["in"] == "path" for parameter in parameters)
        if one_object and paginated:
            answers.append((404, "No such object, or not one you may see; or the page is past the last one"))
        elif one_object:
            answers.append((404, "No such object, or not one you may see"))
        elif paginated:
            answers.append((404, "The page is past the last one"))
        if 409 in {int(code) for code in operation["responses"] if code.isdigit()}:
            answers.append((409, "Not possible in the current state"))
        if "requestBody" in operation:
            answers.append((415, "The body's media type is not one this operation reads"))
        if self.view.get_throttles():
            answers.append((429, "Too many requests: wait the seconds of Retry-After"))
        return answers


# DRF's own search and ordering filters, which every view has unless it names its own filter backends.


class SearchFilterExtension(OpenApiFilterExtension):
    """`search` only where the view has `search_fields`: elsewhere DRF ignores it."""

    target_class = "rest_framework.filters.SearchFilter"
    match_subclasses = True

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        view = auto_schema.view
        if not self.target.get_search_fields(view, view.request):
            return []
        return self.target.get_schema_operation_parameters(view)


class OrderingFilterExtension(OpenApiFilterExtension):
    """`ordering` with the names DRF accepts for the view (its `ordering_fields`, or the fields of its
    serializer), comma-separated, `-` for descending."""

    target_class = "rest_framework.filters.OrderingFilter"
    match_subclasses = True

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        view = auto_schema.view
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return self.target.get_schema_operation_parameters(view)
        names = sorted(
            name for name, _label in self.target.get_valid_fields(queryset, view, {"request": view.request})
        )
        if not names:
            return []
        return [
            {
                "name": self.target.ordering_param,
                "required": False,
                "in": "query",
                "description": "The order of the results: names separated by commas, `-` before a name for "
                "descending. Names not listed are ignored.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [*names, *(f"-{n}" for n in names)]},
                },
                "style": "form",
                "explode": False,
            }
        ]
