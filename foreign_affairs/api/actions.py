"""Viewset actions every area's API repeats: `POST /{id}/<transition>/`, `POST /{id}/attachments/`,
`POST /{id}/assign/` and `GET /{id}/history/`.

The viewset supplies `detail_response(obj)` (the object as its detail serializer shows it); the action
validates the body, calls the area's service and answers with the detail, or lets the service's errors
become the API's one error shape (403, 409, 400).

`extend_schema` goes on top of `action`, never under it: `action` replaces the function's `kwargs`, where
`extend_schema` keeps the operation's schema, so the other order drops the whole declaration.
"""

from collections.abc import Callable, Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.audit.models import AuditEvent

from .schema import conflict
from .serializers import AssignSerializer, HistorySerializer, TransitionSerializer, attachment_serializers


def transition_action(
    name: str,
    *,
    label: str,
    run: Callable,
    response: type[serializers.Serializer],
    body: type[serializers.Serializer] = TransitionSerializer,
):
    """An action `name` that runs `run(request, obj, validated_body)` and returns the object's detail."""

    def view(self, request, pk=None, format=None):
        obj = self.get_object()
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.detail_response(run(request, obj, serializer.validated_data))

    view.__name__ = view.__qualname__ = name  # @action maps the HTTP method to this name
    return extend_schema(
        request=body,
        summary=str(label),
        responses={
            200: response,
            400: OpenApiResponse(description="Rules, a required comment or other input missing"),
            403: OpenApiResponse(description="Your role does not allow it"),
            409: conflict(),
        },
    )(action(detail=True, methods=["post"], url_path=name, url_name=name)(view))


def attachment_action(*, add: Callable, model, summary: str):
    """`POST /{id}/attachments/` (multipart `kind` + `file`): `add(application=, actor=, kind=, uploaded_file=)`
    creates an attachment of `model` (a CaseAttachment), answered as foreign_affairs.api.serializers shows it."""
    response, upload = attachment_serializers(model)

    def attachments(self, request, pk=None, format=None):
        obj = self.get_object()
        form = upload(data=request.data)
        form.is_valid(raise_exception=True)
        attachment = add(
            application=obj,
            actor=request.user,
            kind=form.validated_data["kind"],
            uploaded_file=form.validated_data["file"],
        )
        return Response(
            response(attachment, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    return extend_schema(
        request={"multipart/form-data": upload},
        responses={201: response, 409: conflict("Documents cannot be attached in the current state")},
        summary=summary,
    )(action(detail=True, methods=["post"])(attachments))


def add_transition_actions(
    viewset,
    transitions: Mapping,
    *,
    run: Callable,
    response: type[serializers.Serializer],
    bodies: Mapping[str, type[serializers.Serializer]] | None = None,
) -> None:
    """Give `viewset` a `POST /{id}/<name>/` for each transition in `transitions` ({name: TransitionInfo}):
    `run(request, obj, name, validated_body)` calls the area's service; `bodies` names a transition's own
    body (the default is an optional comment)."""
    for name, info in transitions.items():
        setattr(
            viewset,
            name,
            transition_action(
                name,
                label=info.label,
                run=lambda request, obj, data, name=name: run(request, obj, name, data),
                response=response,
                body=(bodies or {}).get(name, TransitionSerializer),
            ),
        )


def assign_action(*, assign: Callable, response: type[serializers.Serializer]):
    """`POST /{id}/assign/` with {"officer": id or null}: `assign(application=, actor=, officer=)` (the
    service decides who may assign)."""
    run = assign

    def assign(self, request, pk=None, format=None):
        obj = self.get_object()
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.detail_response(
            run(application=obj, actor=request.user, officer=serializer.validated_data["officer"])
        )

    return extend_schema(
        request=AssignSerializer,
        responses={200: response},
        summary="Assign to an approval officer (officers)",
    )(action(detail=True, methods=["post"])(assign))


def history_action():
    """`GET /{id}/history/`: the object's audit events, oldest first (its status history with comments)."""

    def history(self, request, pk=None, format=None):
        return Response(HistorySerializer(AuditEvent.objects.timeline_for(self.get_object()), many=True).data)

    # A plain list, not a page of one: no paginator, and no list filters in its schema.
    return extend_schema(
        responses={200: HistorySerializer(many=True)}, summary="Status history with comments", filters=False
    )(action(detail=True, methods=["get"], pagination_class=None)(history))
