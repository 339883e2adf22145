"""Overseas sites and the staff stationed there (境外机构和人员备案): registering, correcting, closing, ending.

Who writes: the organisation's foreign-affairs liaison keeps its sites and stationed staff current; an
officer may correct any organisation's. Applicants (the enterprise's other staff) read only — the
registry is the liaison's to answer for, as the endorsement of trips is. Nothing is deleted: a site is
closed (`closed_on`), a stationing ended (`ends_on`), and the history stays.

Rules, checked under the row locks so that two requests cannot slip past them together:
- the country is a destination abroad (not China, Hong Kong, Macao or Taiwan) and a known code;
- a site closes on or after it opened; a stationing ends on or after it starts;
- a stationing's dates fall within its site's open period (closing a site ends the stationings that run
  past the closing day on that day; one that starts after it is refused, naming the person);
- a person is not stationed twice at overlapping dates (at any site).
Every write is audited (site.create, site.update, stationing.create, stationing.update) with the fields
that changed, before and after.
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.security.countries import country_name, is_destination, not_destination_message

from ..models import Site, Stationing
from ..workflow import SiteKind

# What a site's form or the API may set (the organisation is fixed when the site is registered).
SITE_FIELDS = [
    "name",
    "kind",
    "country",
    "city",
    "address",
    "chinese_staff_count",
    "local_security_contact",
    "security_officer",
    "security_officer_phone",
    "emergency_phone",
    "opened_on",
    "closed_on",
]
# What a stationing's form or the API may set (the person is fixed once registered: another person is
# another stationing).
STATIONING_FIELDS = ["site", "post", "starts_on", "ends_on"]
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{4,30}")


# Who may write ---------------------------------------------------------------------------------------------


def is_officer(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or user.has_role(Role.OFFICER))


def may_keep(user, organization_id) -> bool:
    """Whether `user` may register and change the organisation's sites and stationed staff: its liaison, or
    an officer (any organisation)."""
    if user is None or not user.is_authenticated:
        return False
    if is_officer(user):
        return True
    organization = user.organization
    return organization is not None and organization.pk == organization_id and user.has_role(Role.LIAISON)


def _may_see(user, organization_id) -> bool:
    if user.is_office_staff:
        return True
    return user.organization is not None and user.organization.pk == organization_id


def _require_keeper(actor, organization_id) -> None:
    """404 for another organisation's row (its existence is not told), 403 for a reader."""
    if not _may_see(actor, organization_id):
        raise Http404
    if not may_keep(actor, organization_id):
        raise PermissionDenied(
            _(
                "Only your organisation's foreign-affairs liaison registers and changes its overseas sites "
                "and stationed staff; ask the liaison, or the office."
            )
            if not actor.is_office_staff
            else _("Only approval officers correct the overseas sites and stationed staff.")
        )


# Checks ----------------------------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _country_code(value) -> str:
    return str(getattr(value, "code", value) or "").strip().upper()


def validate_phone(value: str) -> None:
    """A number that can be dialled: digits, spaces, brackets and dashes, a leading +, five digits or more."""
    value = (value or "").strip()
    if value and (not PHONE.fullmatch(value) or sum(char.isdigit() for char in value) < 5):
        raise ValidationError(
            _("Give a phone number in digits, with the country code, e.g. +234 803 000 0000."), code="phone"
        )


def _phone_errors(site: Site, errors: dict) -> None:
    for field in ("security_officer_phone", "emergency_phone"):
        try:
            validate_phone(getattr(site, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)


def site_check(site: Site) -> None:
    """The site's own rules (ValidationError by field): a destination abroad, closed after it opened,
    phone numbers that can be dialled, and the model's own validation."""
    errors: dict[str, list] = {}
    code = _country_code(site.country)
    if not code:
        errors["country"] = [_("Choose the country of the site.")]
    elif not_destination_message(code):
        errors["country"] = [not_destination_message(code)]
    elif not is_destination(code):
        errors["country"] = [
            _("“%(code)s” is not a country code; choose a country from the list.") % {"code": code}
        ]
    if site.kind not in SiteKind.values:
        errors["kind"] = [_("Choose project site, branch, representative office or other.")]
    if site.opened_on and site.closed_on and site.closed_on < site.opened_on:
        errors["closed_on"] = [_("The closing date must be on or after the opening date.")]
    if site.closed_on and site.closed_on > timezone.localdate():
        errors["closed_on"] = [_("A site is closed once it has closed: the date cannot be in the future.")]
    _phone_errors(site, errors)
    try:
        site.full_clean(exclude=["organization", "country", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _period_text(site: Site) -> str:
    if site.opened_on and site.closed_on:
        return _("from %(start)s until %(end)s") % {
            "start": _day(site.opened_on),
            "end": _day(site.closed_on),
        }
    if site.closed_on:
        return _("until %(end)s") % {"end": _day(site.closed_on)}
    return _("from %(start)s") % {"start": _day(site.opened_on)}


def _overlapping(stationing: Stationing):
    """The person's other stationings whose dates meet this one's (both ends included)."""
    rows = Stationing.objects.filter(person_id=stationing.person_id).exclude(pk=stationing.pk)
    if stationing.ends_on:
        rows = rows.filter(starts_on__lte=stationing.ends_on)
    return rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=stationing.starts_on)).select_related("site")


def stationing_check(stationing: Stationing) -> None:
    """The stationing's rules (ValidationError by field): the site's organisation's person, dates in
    order and within the site's open period, no overlap with another stationing of the same person."""
    errors: dict[str, list] = {}
    site = stationing.site
    if stationing.person_id and stationing.person.organization_id != site.organization_id:
        errors["person"] = [_("Choose a person of the site's organisation.")]
    if not (stationing.post or "").strip():
        errors["post"] = [_("Say what the person does at the site.")]
    starts_on, ends_on = stationing.starts_on, stationing.ends_on
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the stationing starts.")]
    elif ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date must be on or after the start date.")]
    elif site.opened_on or site.closed_on:
        outside = (site.opened_on and starts_on < site.opened_on) or (
            site.closed_on and starts_on > site.closed_on
        )
        if outside:
            errors["starts_on"] = [
                _("The site is open %(period)s; the stationing must start within that time.")
                % {"period": _period_text(site)}
            ]
        elif site.closed_on and (ends_on is None or ends_on > site.closed_on):
            errors["ends_on"] = [
                _("The site closed on %(date)s; the stationing must end on that day or before.")
                % {"date": _day(site.closed_on)}
            ]
    if errors:
        raise ValidationError(errors)
    other = _overlapping(stationing).order_by("starts_on").first()
    if other is not None:
        raise ValidationError(
            {
                "starts_on": [
                    _(
                        "%(name)s is already stationed at %(site)s %(period)s. End that stationing first, or "
                        "choose dates that do not overlap."
                    )
                    % {
                        "name": stationing.person.full_name,
                        "site": other.site.name,
                        "period": _("from %(start)s until %(end)s")
                        % {"start": _day(other.starts_on), "end": _day(other.ends_on)}
                        if other.ends_on
                        else _("since %(start)s, open-ended") % {"start": _day(other.starts_on)},
                    }
                ]
            },
            code="overlap",
        )


# Sites -----------------------------------------------------------------------------------------------------


def _apply(obj, fields, data: dict) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            if field == "country":
                value = _country_code(value)
            if value is None and field not in ("opened_on", "closed_on", "ends_on", "site"):
                value = ""
            setattr(obj, field, value)


def _snapshot(obj, fields) -> dict:
    values = {}
    for field in fields:
        value = getattr(obj, f"{field}_id" if field == "site" else field)
        values[field] = _country_code(value) if field == "country" else value
    return values


def site_create(*, actor, organization, data: dict) -> Site:
    """Register a site of `organization` (its liaison, or an officer). `data`: SITE_FIELDS. Refuses a
    site registered as closed in the future and the other rules of site_check (ValidationError)."""
    if organization is None:
        raise ValidationError({"organization": _("Choose the organisation the site belongs to.")})
    _require_keeper(actor, organization.pk)
    site = Site(organization=organization)
    _apply(site, SITE_FIELDS, data)
    site_check(site)
    with transaction.atomic():
        site.save(force_insert=True)
        record_event(
            actor=actor,
            action="site.create",
            obj=site,
            data={"organization": organization.pk, "country": _country_code(site.country), "kind": site.kind},
        )
    return site


def _end_for_closing(site: Site, actor) -> list[Stationing]:
    """Closing a site ends, on its closing day, the stationings that run past it; one that starts after the
    closing day cannot be ended so (ValidationError naming the person)."""
    if not site.closed_on:
        return []
    running = list(
        Stationing.objects.select_for_update(of=("self",))
        .filter(site=site)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=site.closed_on))
        .select_related("person")
        .order_by("starts_on", "pk")
    )
    late = [stationing for stationing in running if stationing.starts_on > site.closed_on]
    if late:
        raise ValidationError(
            {
                "closed_on": [
                    _(
                        "%(name)s is stationed at the site from %(date)s, after this closing date. Change or "
                        "end that stationing first."
                    )
                    % {"name": late[0].person.full_name, "date": _day(late[0].starts_on)}
                ]
            }
        )
    for stationing in running:
        before = stationing.ends_on
        stationing.ends_on = site.closed_on
        stationing.save(update_fields=["ends_on", "updated_at"])
        record_event(
            actor=actor,
            action="stationing.update",
            obj=stationing,
            data={
                "before": {"ends_on": before},
                "after": {"ends_on": stationing.ends_on},
                "reason": "site closed",
                "site": site.pk,
            },
        )
    return running


def site_update(*, site: Site, actor, data: dict) -> Site:
    """Change what `data` gives (SITE_FIELDS; the liaison of the site's organisation, or an officer).

    Setting `closed_on` closes the site: the stationings still running on that day end on it (each
    audited). Emptying it reopens the site. An opening date after a stationing's start is refused."""
    with transaction.atomic():
        site = Site.objects.select_for_update(of=("self",)).select_related("organization").get(pk=site.pk)
        _require_keeper(actor, site.organization_id)
        before = _snapshot(site, SITE_FIELDS)
        _apply(site, SITE_FIELDS, data)
        site_check(site)
        after = _snapshot(site, SITE_FIELDS)
        changed = sorted(field for field in SITE_FIELDS if after[field] != before[field])
        if not changed:
            return site
        if "opened_on" in changed and site.opened_on:
            earlier = (
                Stationing.objects.filter(site=site, starts_on__lt=site.opened_on)
                .select_related("person")
                .order_by("starts_on")
                .first()
            )
            if earlier is not None:
                raise ValidationError(
                    {
                        "opened_on": [
                            _("%(name)s is stationed at the site from %(date)s, before this opening date.")
                            % {"name": earlier.person.full_name, "date": _day(earlier.starts_on)}
                        ]
                    }
                )
        ended = _end_for_closing(site, actor) if "closed_on" in changed else []
        site.save(update_fields=[*changed, "updated_at"])
        record_event(
            actor=actor,
            action="site.update",
            obj=site,
            data={
                "before": {field: before[field] for field in changed},
                "after": {field: after[field] for field in changed},
                **({"stationings_ended": [stationing.pk for stationing in ended]} if ended else {}),
            },
        )
    return site


def site_close(*, site: Site, actor, closed_on: date | None = None) -> Site:
    """Close the site on `closed_on` (today when not given); see site_update."""
    return site_update(site=site, actor=actor, data={"closed_on": closed_on or timezone.localdate()})


# Stationed staff -------------------------------------------------------------------------------------------


def _site_for(actor, value, *, organization_id=None) -> Site:
    """The site `value` (a Site or an id) if the actor may see it (and it is of `organization_id`); else a
    field error, as if it did not exist."""
    site_id = getattr(value, "pk", value)
    site = None
    if site_id not in (None, ""):
        try:
            site = Site.objects.select_for_update(of=("self",)).get(pk=int(site_id))
        except (Site.DoesNotExist, TypeError, ValueError):
            site = None
    if (
        site is None
        or not _may_see(actor, site.organization_id)
        or (organization_id is not None and site.organization_id != organization_id)
    ):
        raise ValidationError({"site": _("Choose a site of your organisation.")})
    return site


def _person_for(value, organization_id) -> Person:
    """The person `value` (a Person or an id) of the organisation, locked: two stationings of one person
    are checked for overlap one after the other."""
    person_id = getattr(value, "pk", value)
    person = None
    if person_id not in (None, ""):
        try:
            person = (
                Person.objects.select_for_update()
                .filter(organization_id=organization_id, pk=int(person_id))
                .first()
            )
        except (TypeError, ValueError):
            person = None
    if person is None:
        raise ValidationError({"person": _("Choose a person of your organisation.")})
    return person


def stationing_create(*, actor, data: dict) -> Stationing:
    """Register a person of the site's organisation as stationed at the site. `data`: site, person (objects
    or ids), post, starts_on, ends_on (optional). The liaison of the organisation, or an officer."""
    with transaction.atomic():
        site = _site_for(actor, data.get("site"))
        _require_keeper(actor, site.organization_id)
        person = _person_for(data.get("person"), site.organization_id)
        stationing = Stationing(site=site, person=person)
        _apply(stationing, ["post", "starts_on", "ends_on"], data)
        stationing_check(stationing)
        stationing.save(force_insert=True)
        record_event(
            actor=actor,
            action="stationing.create",
            obj=stationing,
            data={
                "site": site.pk,
                "person": person.pk,
                "starts_on": stationing.starts_on,
                "ends_on": stationing.ends_on,
            },
        )
    return stationing


def stationing_update(*, stationing: Stationing, actor, data: dict) -> Stationing:
    """Change the post, the dates or the site (another of the same organisation) of a stationing. The
    liaison of the organisation, or an officer; the same rules as when it was registered."""
    with transaction.atomic():
        current = Stationing.objects.select_related("site").get(pk=stationing.pk)
        organization_id = current.site.organization_id
        _require_keeper(actor, organization_id)
        # The site first, then the person, then the stationing: the order every write here locks them in.
        data = dict(data)
        site = data.pop("site", None)
        if site is not None and getattr(site, "pk", site) != current.site_id:
            Site.objects.select_for_update(of=("self",)).filter(pk=current.site_id).first()
            site = _site_for(actor, site, organization_id=organization_id)
        else:
            site = Site.objects.select_for_update(of=("self",)).get(pk=current.site_id)
        Person.objects.select_for_update().filter(pk=current.person_id).first()
        stationing = (
            Stationing.objects.select_for_update(of=("self",)).select_related("person").get(pk=stationing.pk)
        )
        before = _snapshot(stationing, STATIONING_FIELDS)
        stationing.site = site
        _apply(stationing, ["post", "starts_on", "ends_on"], data)
        after = _snapshot(stationing, STATIONING_FIELDS)
        changed = sorted(field for field in STATIONING_FIELDS if after[field] != before[field])
        if not changed:
            return stationing
        stationing_check(stationing)
        stationing.save(update_fields=[*changed, "updated_at"])
        record_event(
            actor=actor,
            action="stationing.update",
            obj=stationing,
            data={
                "before": {field: before[field] for field in changed},
                "after": {field: after[field] for field in changed},
            },
        )
    return stationing


def stationing_end(*, stationing: Stationing, actor, ends_on: date | None = None) -> Stationing:
    """End the stationing on `ends_on` (today when not given): the person has left the site."""
    return stationing_update(
        stationing=stationing, actor=actor, data={"ends_on": ends_on or timezone.localdate()}
    )


def country_label(site: Site) -> str:
    return country_name(_country_code(site.country))
