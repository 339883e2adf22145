"""Downloads of passport scans and photographs of people are access records (foreign_affairs.privacy):
every door that hands out a stored document (the documents page, the back office, the API) calls
`document_seen` before it answers.

The record names the person the document belongs to where there is one (the applicant of an APEC card
application: a case whose `person` is a traveller), and otherwise the organisation and the case. The
areas are not imported here: a document's case is found through the CaseAttachment subclasses that point
at it (models.CaseAttachment), whatever area they belong to.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey

from foreign_affairs.privacy import access
from foreign_affairs.privacy.models import Seen

from .models import CaseAttachment, Document, DocumentKind

# What a download of each kind of document is recorded as; other kinds are not personal data.
SEEN = {DocumentKind.PASSPORT_SCAN: Seen.PASSPORT_SCAN, DocumentKind.PHOTO: Seen.PHOTO}


def _attachment_of(document: Document):
    """The attachment (of any area) that holds `document`, or None for one attached to no case."""
    for relation in Document._meta.related_objects:
        if relation.one_to_one and issubclass(relation.related_model, CaseAttachment):
            found = (
                relation.related_model.objects.select_related("application").filter(document=document).first()
            )
            if found is not None:
                return found
    return None


def _person_of(case):
    """The traveller a case is about (its `person`, a foreign key to accounts.Person), or None."""
    try:
        field = case._meta.get_field("person")
    except FieldDoesNotExist:  # a case about no single person
        return None
    if not isinstance(field, ForeignKey) or field.related_model._meta.label != "accounts.Person":
        return None
    return case.person


def subject_of(document: Document) -> tuple[list, str]:
    """([the person the document belongs to] or [], the case it was uploaded for)."""
    attachment = _attachment_of(document)
    case = attachment.application if attachment is not None else None
    person = _person_of(case) if case is not None else None
    reference = document.reference or (getattr(case, "reference", "") if case is not None else "")
    return ([person] if person is not None else []), reference


def document_seen(request, document: Document) -> None:
    """Record the download of `document` by the request's user when it is a passport scan or a photograph."""
    seen = SEEN.get(document.kind)
    if seen is None:
        return
    people, case = subject_of(document)
    access.record(request, seen=seen, people=people, organization_id=document.organization_id, case=case)
