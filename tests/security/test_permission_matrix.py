"""Row 2: the permission matrix. Every URL pattern of the URLconf (pages, the back office of every registered
ModelAdmin with its own URLs, the API router's lists, details and actions) is requested with GET by every
role, once per object it can name: one of the applicant's organisation and one of another organisation
(or of another user, for personal things). policy.py says, by rules, who may get a 2xx; a 2xx anyone else
gets is "unexpected", and any 5xx is counted too.

The URLs are built from the URLconf itself, so a new page or endpoint is in the matrix as soon as it is
routed; a URL naming an object of a model this file cannot fill fails the test (add it to PAGE_OBJECTS or
CHILDREN).
"""

import re
import time
import uuid
from dataclasses import dataclass, field
from fnmatch import fnmatch

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from approvals.models import Objection, PassportHandover, Permit, TravelApplication
from exchanges.models import Activity, FriendshipCity
from exchanges.workflow import PUBLIC_STATES
from foreign_affairs.accounts.models import Organization, User
from foreign_affairs.documents.services import document_create
from foreign_affairs.notifications.models import Channel, Notification
from foreign_affairs.reports.models import ReportJob
from projects.models import Achievement, CooperationProject
from tests.apec_cards.helpers import card_person, draft, pdf_upload
from tests.approvals.factories import ApplicationFactory

from .policy import NOBODY, PERSONAL, Caller, Owner, may_see

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "liaison", "applicant2", "officer", "leader", "manager", "admin"]

# Which model the object named by a page's `pk` is, by URL name (the API and the back office say it
# themselves: the viewset's queryset, the admin's app and model in the path).
PAGE_OBJECTS = {
    "accounts:person_*": "accounts.Person",
    "documents:download": "documents.Document",
    "notifications:open": "notifications.Notification",
    "approvals:*": "approvals.TravelApplication",
    "notices:*": "approvals.Disclosure",
    "apec_cards:application_*": "apec_cards.CardApplication",
    "apec_cards:attachment_*": "apec_cards.CardApplication",
    "apec_cards:card_*": "apec_cards.Card",
    "reports:*": "reports.ReportJob",
    "admin:view_on_site": "approvals.TravelApplication",  # with the content type of CONSTANTS
    "overseas_safety:site_*": "overseas_safety.Site",
    "overseas_safety:stationing_*": "overseas_safety.Stationing",
    "overseas_safety:incident_*": "overseas_safety.Incident",
    "overseas_safety:alert_recipient_answer": "overseas_safety.AlertRecipient",
    "foreign_offices:directory_detail": "foreign_offices.ForeignOrganisation",
    "foreign_offices:my_office_entry": "foreign_offices.ForeignOrganisation",
    "foreign_offices:report_*": "foreign_offices.AnnualReport",
    "foreign_offices:change_*": "foreign_offices.ChangeRequest",
    "projects:our_*": "projects.CooperationProject",
    "projects:lead_*": "projects.Interest",
    "projects:public_file": "projects.ProjectDocument",
    "projects:achievement_image": "projects.AchievementImage",
    "exchanges:visit_detail": "exchanges.Activity",
    "exchanges:programme_pdf": "exchanges.Activity",
    "training:course": "training.Course",
    "training:session": "training.Session",
    "training:enrol": "training.Session",
    "training:material": "training.CourseMaterial",
    "training:person": "accounts.Person",
    "training:enrolment": "training.Enrolment",
    "training:cancel": "training.Enrolment",
    "training:assessment": "training.Enrolment",
    "training:certificate": "training.Certificate",
    "training:check_in": "training.Session",
    "training:delegation": "approvals.TravelApplication",
}
OBJECT_PARAMETERS = ("pk", "object_id", "id", "session_id", "application_id")


def _first(queryset):
    found = queryset.first()
    return found.pk if found is not None else None


# Parameters naming something of the object a URL names first: parameter → (parent) → value or None.
CHILDREN = {
    "attachment_pk": lambda parent: _first(parent.attachments.order_by("pk")),
    "handover_pk": lambda parent: _first(PassportHandover.objects.filter(application=parent)),
    "handover_id": lambda parent: _first(PassportHandover.objects.filter(application=parent)),
    "objection_id": lambda parent: _first(Objection.objects.filter(disclosure__application=parent)),
    "economy": lambda parent: parent.preclearances.values_list("economy_id", flat=True).first(),
    "step_id": lambda parent: _first(parent.checklist.order_by("pk")),
    "document_pk": lambda parent: _first(parent.attachments.order_by("pk")),
    "item_id": lambda parent: _first(parent.checklist.order_by("pk")),
    # A project's or achievement's reference in a public page's path: the file's case.
    "reference": lambda parent: getattr(getattr(parent, "application", None), "reference", None),
}
# Parameters that name nothing of anyone's.
CONSTANTS = {
    "format": lambda: "json",
    "name": lambda: "submit",
    "uidb64": lambda: "MQ",
    "token": lambda: "set-password",
    "app_label": lambda: "approvals",
    "url": lambda: "no-such-page/",  # the back office's catch-all
    "code": lambda: Permit.objects.values_list("verification_code", flat=True).first() or "ABCD-0000",
    "content_type_id": lambda: ContentType.objects.get_for_model(TravelApplication).pk,
    "country": lambda: "NG",  # who is in a country (overseas safety): counts anyone may ask about
    "kind": lambda: "address",  # the kind of a new change request (foreign organisations)
    # A page naming a cooperation project by its reference: the newest project, published or not.
    "reference": lambda: (
        CooperationProject.objects.order_by("-pk").values_list("reference", flat=True).first()
    ),
}
# Constants of one route only (fnmatch on its name), before CONSTANTS.
ROUTE_CONSTANTS = {
    # A public event's page: the newest activity on the public calendar (others answer 404 to everyone).
    "exchanges:event_detail": {
        "reference": lambda: (
            Activity.objects.filter(public=True, state__in=PUBLIC_STATES)
            .order_by("-pk")
            .values_list("reference", flat=True)
            .first()
        ),
    },
    "exchanges:city_detail": {
        "slug": lambda: FriendshipCity.objects.order_by("-pk").values_list("slug", flat=True).first(),
    },
    "training:check_in": {"code": lambda: "ABC234"},
    "projects:achievement": {
        "reference": lambda: Achievement.objects.order_by("-pk").values_list("reference", flat=True).first(),
    },
}


# The URLconf ---------------------------------------------------------------------------------------------


@dataclass
class Route:
    chain: list  # the URLPattern and URLResolver patterns from the root to this pattern
    name: str
    callback: object
    parameters: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(str(part.pattern) for part in self.chain)


def _parameters(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def routes(patterns=None, chain=(), namespace="") -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            found += routes(pattern.url_patterns, (*chain, pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            parts = [*chain, pattern]
            parameters = [name for part in parts for name in _parameters(part.pattern)]
            found.append(Route(parts, name, pattern.callback, parameters))
    return found


GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def build_path(route: Route, values: dict) -> str:
    path = "/"
    for part in route.chain:
        pattern = part.pattern
        if isinstance(pattern, RoutePattern):
            path += CONVERTER.sub(
                lambda match, converters=pattern.converters: str(
                    converters[match[1]].to_url(values[match[1]])
                ),
                str(pattern),
            )
        elif isinstance(pattern, RegexPattern):
            text = GROUP.sub(lambda match: str(values[match[1]]), pattern.regex.pattern)
            text = text.removeprefix("^").removesuffix("$").removesuffix("/?").replace(r"\.", ".")
            assert not re.search(r"[\\^$?*+()\[\]|]", text), f"cannot build a path from {route.text}"
            path += text
        else:
            path += str(pattern)
    return path


def model_of(route: Route):
    """The model of the object the route's first object parameter names."""
    view_class = getattr(route.callback, "cls", None)
    if view_class is not None and getattr(view_class, "queryset", None) is not None:
        return view_class.queryset.model, getattr(view_class, "lookup_field", "pk")
    if route.text.startswith("admin/"):
        segments = route.text.split("/")
        if len(segments) > 2:
            try:
                model = apps.get_model(segments[1], segments[2])
            except (LookupError, ValueError):
                model = None
            if model is not None and admin.site.is_registered(model):
                return model, "pk"
    for pattern, label in PAGE_OBJECTS.items():
        if fnmatch(route.name, pattern):
            return apps.get_model(label), "pk"
    return None, "pk"


def admin_page(route: Route):
    """(model, page) of a back-office URL of a registered model: page "add", "delete", "changelist"..."""
    if not route.text.startswith("admin/"):
        return None, ""
    model, _lookup = model_of(route)
    if model is None:
        return None, ""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
    return model, route.name.removeprefix(prefix) if route.name.startswith(prefix) else "view"


# The objects ---------------------------------------------------------------------------------------------


@dataclass
class World:
    """The demo data, plus what it lacks of the second organisation, and the roles' users."""

    callers: dict
    organizations: tuple  # the applicant's, the other one's

    def owner(self, obj: Model) -> Owner:
        model = type(obj)
        label = model._meta.label_lower
        if label in PERSONAL:
            return Owner(user=getattr(obj, PERSONAL[label]))
        lookup = getattr(model, "organization_lookup", None)
        if lookup is None:
            return NOBODY
        return Owner(
            organization=model._default_manager.filter(pk=obj.pk).values_list(lookup, flat=True).first()
        )

    def objects(self, model) -> list[Model]:
        """One object of each side: of each organisation, or of two users, or any one."""
        manager = model._default_manager
        label = model._meta.label_lower
        if label in PERSONAL:
            users = [self.callers["applicant"].user, self.callers["officer"].user]
            if label == "notifications.notification":
                manager = manager.filter(channel=Channel.IN_APP)
            found = [manager.filter(**{PERSONAL[label]: user.pk}).order_by("-pk").first() for user in users]
        elif getattr(model, "organization_lookup", None):
            lookup = model.organization_lookup
            found = [
                manager.filter(**{lookup: organization.pk}).order_by("-pk").first()
                for organization in self.organizations
            ]
        else:
            found = [manager.order_by("pk").first()]
        return [obj for obj in found if obj is not None]


@pytest.fixture
def world(demo, django_user_model):
    users = {user.username: user for user in django_user_model.objects.all()}
    applicant, other = users["applicant"], users["applicant2"]
    home, away = applicant.organization, other.organization
    assert home != away
    # The other organisation's side of what the demo data has only for the applicant's.
    ApplicationFactory(organization=away, created_by=other, submitted=True)
    draft(other, card_person(away))
    document_create(uploaded_file=pdf_upload(), kind="other", organization=away, uploaded_by=other)
    for user in (applicant, users["officer"]):
        ReportJob.objects.create(report="travel_approvals", format="csv", created_by=user)
        Notification.objects.create(recipient=user, channel=Channel.IN_APP, subject="verify", body="verify")
    callers = {
        role: Caller(role, None if role == "anonymous" else User.objects.get(pk=users[role].pk))
        for role in ROLES
    }
    return World(callers, (Organization.objects.get(pk=home.pk), Organization.objects.get(pk=away.pk)))


PLACEHOLDERS = {"int": 999999, "uuid": uuid.UUID(int=0), "str": "none", "path": "999999"}


def _placeholder(route: Route, parameter: str):
    for part in route.chain:
        converters = getattr(part.pattern, "converters", {})
        if parameter in converters:
            return PLACEHOLDERS.get(
                type(converters[parameter]).__name__.removesuffix("Converter").lower(), "none"
            )
    return "999999"


def requests_for(route: Route, world: World) -> list[tuple[str, Owner, str]]:
    """(path, owner of the object it names, what filled it) for each object the route can name."""
    view_class = getattr(route.callback, "cls", None)
    lookup_kwarg = getattr(view_class, "lookup_url_kwarg", None) or getattr(view_class, "lookup_field", None)
    primary = next((name for name in route.parameters if name in (*OBJECT_PARAMETERS, lookup_kwarg)), None)
    variants = [({}, NOBODY, None)]
    if primary is not None and model_of(route)[0] is None and primary in CONSTANTS:
        primary = None  # names no object: a country for who is there (filled from CONSTANTS below)
    if primary is not None:
        model, lookup = model_of(route)
        assert model is not None, (
            f"{route.name or route.text}: which model does {primary} name? (PAGE_OBJECTS)"
        )
        objects = world.objects(model)
        variants = [({primary: getattr(obj, lookup)}, world.owner(obj), obj) for obj in objects] or [
            ({primary: _placeholder(route, primary)}, NOBODY, None)
        ]
    built = []
    for values, owner, parent in variants:
        for name in route.parameters:
            if name in values:
                continue
            child = CHILDREN[name](parent) if name in CHILDREN and parent is not None else None
            if child is not None:
                values[name] = child
            elif name in CHILDREN and name not in CONSTANTS:
                values[name] = _placeholder(route, name)
            elif own := next(
                (c[name] for p, c in ROUTE_CONSTANTS.items() if fnmatch(route.name, p) and name in c), None
            ):
                values[name] = own()
            elif name in CONSTANTS:
                values[name] = CONSTANTS[name]()
            else:
                raise AssertionError(f"{route.name or route.text}: no value for the parameter {name!r}")
        path = build_path(route, values)
        built.append((path, owner, "object" if parent is not None else "-"))
    return built


# The matrix ----------------------------------------------------------------------------------------------


def _client(caller: Caller) -> Client:
    client = Client(raise_request_exception=False)
    if caller.user is not None:
        client.force_login(caller.user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_what_the_rules_keep_from_it(role, world, figures):
    started = time.monotonic()
    caller = world.callers[role]
    client = _client(caller)
    seen = set()
    all_routes = routes()
    for route in all_routes:
        for path, owner, filled in requests_for(route, world):
            if path in seen:
                continue
            seen.add(path)
            match = resolve(path)
            if match.func is not route.callback:  # shadowed by an earlier pattern: that one answers
                continue
            model, page = admin_page(route)
            allowed, rule = may_see(path, caller, owner, admin_model=model, admin_action=page)
            response = client.get(path)
            if response.streaming:  # read to the end: the test client then closes it (and the file)
                b"".join(response.streaming_content)
            figures.add("matrix.requests")
            figures.note("matrix.patterns", route.text)
            if filled == "object":
                figures.add("matrix.objects")
            status = response.status_code
            if status >= 500:
                figures.add("matrix.server_errors")
                figures.note("matrix.server_errors", f"{role} GET {path} → {status}")
            elif 200 <= status < 300 and not allowed:
                figures.add("matrix.unexpected_2xx")
                figures.note(
                    "matrix.unexpected_2xx",
                    f"{role} GET {path} → {status} ({rule}; object of {owner.label()})",
                )
            if caller.user is not None and "_auth_user_id" not in client.session:
                client = _client(caller)  # a GET signed the user out: sign in again, and keep going
                figures.note("matrix.signed_out_by_get", f"{role} GET {path}")
    figures.note("matrix.roles", role)
    figures.timed("matrix", time.monotonic() - started)
