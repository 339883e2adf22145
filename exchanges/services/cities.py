"""Friendship cities: registering the pairs, their agreements (and renewal dates) and the cooperation
projects that came through them. Officers keep the registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.documents.services import document_create

from ..models import FriendshipAgreement, FriendshipCity
from .common import apply, full_clean, require_officer, save_relations

FIELDS = [
    "henan_name_zh",
    "henan_name_en",
    "foreign_name_zh",
    "foreign_name_en",
    "country",
    "kind",
    "established_on",
    "description_zh",
    "description_en",
    "henan_contact",
    "foreign_contact",
    "public",
    "notes",
]


def _slug_for(city: FriendshipCity) -> str:
    base = slugify(f"{city.henan_name_en} {city.foreign_name_en}")[:100] or "pair"
    slug, n = base, 1
    while FriendshipCity.objects.filter(slug=slug).exclude(pk=city.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(city: FriendshipCity, data: dict) -> dict:
    relations, errors = apply(city, data, FIELDS)
    if city.country and city.country.code == "CN":
        errors["country"] = [_("A friendship city is abroad: choose its country or region.")]
    full_clean(city, errors, exclude=["slug", "projects"])
    duplicate = FriendshipCity.objects.filter(
        henan_name_en__iexact=city.henan_name_en,
        foreign_name_en__iexact=city.foreign_name_en,
        country=city.country,
    ).exclude(pk=city.pk)
    if duplicate.exists():
        raise ValidationError({"foreign_name_en": [_("This pair is registered already.")]})
    return relations


def city_create(*, actor, data: dict) -> FriendshipCity:
    require_officer(actor, _("Only approval officers keep the friendship-city registry."))
    city = FriendshipCity()
    relations = _apply(city, data)
    with transaction.atomic():
        city.slug = _slug_for(city)
        city.save()
        save_relations(city, relations)
        record_event(actor=actor, action="friendship_city.create", obj=city, data={"kind": city.kind})
    return city


def city_update(*, city: FriendshipCity, actor, data: dict) -> FriendshipCity:
    require_officer(actor, _("Only approval officers keep the friendship-city registry."))
    with transaction.atomic():
        city = FriendshipCity.objects.select_for_update().get(pk=city.pk)
        before = {f: str(getattr(city, f)) for f in FIELDS}
        relations = _apply(city, data)
        city.save()
        save_relations(city, relations)
        changed = sorted(f for f, v in before.items() if str(getattr(city, f)) != v)
        record_event(actor=actor, action="friendship_city.update", obj=city, data={"fields": changed})
    return city


def agreement_add(*, city: FriendshipCity, actor, data: dict, uploaded_file=None) -> FriendshipAgreement:
    """An agreement of the pair and its renewal date, with its document (checked by content and size)."""
    require_officer(actor, _("Only approval officers keep the friendship-city registry."))
    with transaction.atomic():
        city = FriendshipCity.objects.select_for_update().get(pk=city.pk)
        agreement = FriendshipAgreement(city=city)
        _relations, errors = apply(agreement, data, ["title", "signed_on", "renew_by"])
        if agreement.signed_on and agreement.renew_by and agreement.renew_by <= agreement.signed_on:
            errors["renew_by"] = [_("The renewal date must be after the signing.")]
        full_clean(agreement, errors, exclude=["city", "document"])
        if uploaded_file is not None:
            agreement.document = document_create(
                uploaded_file=uploaded_file,
                kind=DocumentKind.OTHER,
                organization=None,
                uploaded_by=actor,
                title=agreement.title[:200],
            )
        agreement.save()
        record_event(
            actor=actor, action="friendship_city.agreement", obj=city, data={"title": agreement.title}
        )
    return agreement


def project_link(*, city: FriendshipCity, actor, project, linked: bool = True) -> FriendshipCity:
    """A cooperation project (area 3) that came through the pair: it shows on the pair's page and counts
    towards its health while active."""
    require_officer(actor, _("Only approval officers keep the friendship-city registry."))
    with transaction.atomic():
        city = FriendshipCity.objects.select_for_update().get(pk=city.pk)
        if linked:
            city.projects.add(project)
        else:
            city.projects.remove(project)
        record_event(
            actor=actor,
            action="friendship_city.link_project" if linked else "friendship_city.unlink_project",
            obj=city,
            data={"project": project.reference},
        )
    return city
