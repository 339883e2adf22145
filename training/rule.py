"""What travel approval asks this area (approvals.hooks): whether each traveller holds a pre-departure
certificate valid on the departure date, and where the applicant enrols those who do not."""

from datetime import date

from django.urls import reverse

from .selectors import valid_predeparture


def training_status(people: list, on: date) -> dict[int, str]:
    """{person id: "valid" | "missing"}: valid when a pre-departure certificate, not revoked, was issued by
    `on` and is still valid that day (its last day included). One query."""
    ids = [person.pk for person in people if person.pk is not None]
    valid = set(valid_predeparture(ids, on).values_list("person_id", flat=True))
    return {person.pk: "valid" if person.pk in valid else "missing" for person in people}


def enrolment_url(application) -> str:
    return reverse("training:delegation", args=[application.pk])
