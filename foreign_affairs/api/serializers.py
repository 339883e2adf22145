"""Serializers every area's API shares: rule findings, a transition's comment, an object's history, the
documents attached to a case."""

from functools import cache

from django.contrib.auth import get_user_model
from rest_framework import serializers


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        help_text="The officer's user id; null takes the application off everyone's list.",
    )


class HistorySerializer(serializers.Serializer):
    """An audit event as a step of the object's status history."""

    at = serializers.DateTimeField(source="created_at")
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()


class CaseAttachmentSerializer(serializers.ModelSerializer):
    """A document attached to a case (foreign_affairs.documents.models.CaseAttachment); its file is
    downloaded through the documents API, which checks who may see it."""

    name = serializers.CharField(source="document.original_name", read_only=True)
    size = serializers.IntegerField(source="document.size", read_only=True)
    download_url = serializers.HyperlinkedRelatedField(
        source="document", view_name="api:document-download", read_only=True
    )

    class Meta:
        fields = ["id", "kind", "name", "size", "download_url", "created_at"]
        read_only_fields = fields


@cache
def attachment_serializers(model) -> tuple[type[serializers.Serializer], type[serializers.Serializer]]:
    """The serializers of an area's attachments (a CaseAttachment model): the attachment as shown, and
    the upload (multipart `kind`, one of the model's kinds, and `file`). Named after the model, so that
    each area's get their own OpenAPI components."""
    meta = type("Meta", (CaseAttachmentSerializer.Meta,), {"model": model})
    shown = type(f"{model.__name__}Serializer", (CaseAttachmentSerializer,), {"Meta": meta})
    upload = type(
        f"{model.__name__}UploadSerializer",
        (serializers.Serializer,),
        {
            "kind": serializers.ChoiceField(choices=model._meta.get_field("kind").choices),
            "file": serializers.FileField(help_text="PDF, JPEG or PNG (checked by content), at most 10 MB."),
        },
    )
    return shown, upload
