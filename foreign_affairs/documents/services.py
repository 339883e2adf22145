"""Storing uploaded documents."""

import hashlib

from django.db import transaction

from foreign_affairs.audit.services import record_event

from .models import Document
from .scanning import scan_upload
from .validators import clean_file_name, validate_upload


def document_create(
    *,
    uploaded_file,
    kind: str,
    organization,
    uploaded_by,
    title: str = "",
    reference: str = "",
    title_kind: str = "",
) -> Document:
    """Validate an upload by content and size, have it scanned for viruses, and store it under a random
    private name.

    `title` is the uploader's; a title the portal makes for a case's attachment also gives the case's
    `reference` and the attachment's `title_kind` (Document.display_title shows it in each reader's
    language).

    Requires a file that passes `validate_upload` and, when CLAMAV_URL is set, clamd's scan
    (`scanning.scan_upload`); raises ValidationError otherwise, storing nothing. Writes an audit event.
    If the transaction rolls back, the stored file is removed.
    """
    file_type = validate_upload(uploaded_file)
    scan_upload(uploaded_file, user=uploaded_by)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    with transaction.atomic():
        document = Document(
            organization=organization,
            kind=kind,
            title=title.strip(),
            reference=reference,
            title_kind=title_kind,
            original_name=clean_file_name(uploaded_file.name),
            content_type=file_type.content_type,
            size=uploaded_file.size,
            sha256=digest.hexdigest(),
            uploaded_by=uploaded_by,
        )
        document.file.save("upload", uploaded_file, save=False)
        stored = document.file.name
        try:
            document.save(force_insert=True)
            record_event(
                actor=uploaded_by,
                action="document.upload",
                obj=document,
                data={
                    "kind": kind,
                    "size": document.size,
                    "sha256": document.sha256,
                    "organization": organization.pk if organization else None,
                },
            )
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def document_delete(*, document: Document, actor) -> None:
    """Remove a document and its stored file (the audit event keeps its name and digest)."""
    with transaction.atomic():
        record_event(
            actor=actor,
            action="document.delete",
            obj=document,
            data={"original_name": document.original_name, "sha256": document.sha256},
        )
        name, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
