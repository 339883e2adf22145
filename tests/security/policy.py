"""Who may see what, as rules: what the permission matrix (test_permission_matrix.py) holds every GET to.

The rules restate README ("Roles", "The REST API") and CONTRACT.md, never the portal's code:

- Public pages and endpoints (PUBLIC) answer anyone; everything else needs a signed-in user.
- The back office (/admin/) is for office staff, page by page as Django's admin rule says: the model's
  `view` or `change` permission (`add`, `delete` for those pages), an app's index with any permission in
  the app; a superuser sees all of it. Leaders and managers "read everything" (README), so a record that
  belongs to a case (a permit, a notice, an objection, a passport handover: the models its
  `organization_lookup` passes through) may be read by whoever may read the case, and a proxy model's
  pages (a queue) by whoever may read the model it is a view of.
- Some parts are the office's only (OFFICE_ONLY) and some, among enterprise users, the liaison's only
  (LIAISON_ONLY).
- Personal things (a notification, a report export) are their owner's only, outside the back office.
- Enterprise users see their own organisation's objects only (a model's `organization_lookup`); office
  staff see every organisation's.

Only a 2xx answer counts as "seen": a rule that says no is broken by a 2xx, and by nothing else.
"""

import re
from dataclasses import dataclass

from django.apps import apps

from foreign_affairs.accounts.roles import Role

PUBLIC_EXACT = (
    "/",
    "/apec/",
    "/healthz",
    "/robots.txt",
    "/favicon.ico",
    "/foreign-offices/",
    # The registry's entries listed publicly (an entry not listed answers 404 to those outside it).
    "/api/v1/foreign-offices/organisations/",
    # Cooperation projects: the catalogue, its feeds and sitemap; the API's published projects,
    # achievements and industries (anything not published answers 404 to those outside it).
    "/projects/",
    "/projects/feed.atom",
    "/projects/feed.json",
    "/projects/sitemap.xml",
    "/api/v1/projects/",
    "/api/v1/projects/achievements/",
    "/api/v1/projects/industries/",
    # International exchanges: the calendar of public events, its iCal feed and the sitemap; the public
    # friendship cities through the API (anything not public answers 404 to those outside the office).
    "/exchanges/",
    "/exchanges/calendar.ics",
    "/exchanges/sitemap.xml",
    "/api/v1/exchanges/friendship-cities/",
    # Training: the calendar of sessions, and the catalogue and sessions through the API.
    "/training/",
    "/api/v1/training/courses/",
    "/api/v1/training/sessions/",
)
PUBLIC = (
    "/i18n/setlang/",
    "/verify/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/notices/",
    "/apec/eligibility/",
    "/admin/login/",
    "/api/schema/",
    "/api/docs/",
    "/api/v1/auth/token/",
    "/api/v1/notices/",
    "/api/v1/apec-cards/economies/",
    "/safety/alerts/answer/",  # the one-click answer: its signed token is the credential
    # Foreign organisations: the guide, the enquiry and the directory of those listed publicly.
    "/foreign-offices/enquiry/",
    "/foreign-offices/directory/",
    "/api/v1/foreign-offices/enquiries/",
    "/api/v1/projects/achievements/",
    "/api/v1/projects/industries/",
    "/projects/achievements/",
    "/projects/interest/sent/",
    "/projects/HNCP-",  # a published project's page, its interest form and public files (others: 404)
    "/exchanges/events/",  # a public event's page (others: 404)
    "/exchanges/friendship-cities/",  # the public friendship cities and their pages (others: 404)
    "/exchanges/media/",  # the foreign journalists' interview request form and its thank-you page
    "/training/courses/",  # a course's page (its materials download for signed-in users only)
    "/training/sessions/",  # a session's page with its enrolment panel
)
OFFICE_ONLY = (
    "/admin/",
    "/reports/",
    "/api/v1/reports/",
    "/api/v1/objections/",
    "/api/v1/foreign-offices/cases/",
    "/projects/export/",
    # Exchanges: interview requests (the public only sends them) and overseas-Chinese contacts.
    "/api/v1/exchanges/media-requests/",
    "/api/v1/exchanges/contacts/",
)
LIAISON_ONLY = ("/organisation/edit/", "/applications/endorsements/", "/api/v1/memberships/")
APP_INDEX = re.compile(r"/admin/(\w+)/")  # an app's page of the back office
# Back-office pages of no model, open to all office staff.
ADMIN_FOR_ALL_STAFF = ("/admin/", "/admin/password_change/", "/admin/password_change/done/", "/admin/jsi18n/")
# Models whose rows belong to one user: app label.model name → the field naming the owner.
PERSONAL = {"notifications.notification": "recipient_id", "reports.reportjob": "created_by_id"}


@dataclass(frozen=True)
class Caller:
    name: str
    user: object = None  # None: anonymous

    @property
    def enterprise(self) -> bool:
        return self.user is not None and not self.user.is_office_staff


@dataclass(frozen=True)
class Owner:
    """Whose object a URL names: an organisation's, a user's, or nobody's in particular."""

    organization: int | None = None
    user: int | None = None

    def label(self) -> str:
        if self.organization is not None:
            return f"organisation {self.organization}"
        return f"user {self.user}" if self.user is not None else "-"


NOBODY = Owner()


def _under(path: str, prefixes) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


FORMAT_SUFFIX = re.compile(r"\.[a-z0-9]+/?$")


def normalized(path: str) -> str:
    """The API's format-suffix URLs (`/api/v1/notices.json`) are the same resources as without it."""
    return FORMAT_SUFFIX.sub("/", path) if path.startswith("/api/") else path


# A published cooperation project through the API (others answer 404 to those outside them).
PUBLIC_PATTERNS = (
    re.compile(r"/api/v1/projects/\d+/"),
    # A public friendship city through the API (others answer 404 to those outside the office).
    re.compile(r"/api/v1/exchanges/friendship-cities/\d+/"),
    # A course or session of the training calendar through the API.
    re.compile(r"/api/v1/training/(?:courses|sessions)/\d+/"),
)


def is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or _under(path, PUBLIC) or any(p.fullmatch(path) for p in PUBLIC_PATTERNS)


def may_see(
    path: str, caller: Caller, owner: Owner, *, admin_model=None, admin_action: str = ""
) -> tuple[bool, str]:
    """Whether `caller` may get a 2xx for GET `path`, naming the object of `owner`; and the rule that said so.
    For a back-office page of a model, `admin_model` is the model and `admin_action` the page ("add",
    "delete", anything else: a page that shows the object)."""
    user = caller.user
    path = normalized(path)
    if is_public(path):
        return True, "public"
    if user is None:
        return False, "needs a signed-in user"
    if path.startswith("/admin/"):
        return _back_office(path, user, admin_model, admin_action)
    if user.is_superuser:
        return True, "superuser"
    if owner.user is not None and owner.user != user.pk:
        return False, "another user's"
    if not caller.enterprise:
        return True, "office staff read everything"
    if _under(path, OFFICE_ONLY):
        return False, "office only"
    if _under(path, LIAISON_ONLY) and not user.has_role(Role.LIAISON):
        return False, "the liaison's only"
    if owner.organization is not None and owner.organization != getattr(user.organization, "pk", None):
        return False, "another organisation's"
    return True, "own organisation"


def _back_office(path: str, user, model, action: str) -> tuple[bool, str]:
    if not (user.is_active and user.is_staff):
        return False, "back office: office staff only"
    if user.is_superuser:
        return True, "back office: superuser"
    if model is None:
        if path in ADMIN_FOR_ALL_STAFF:
            return True, "back office: pages of every office user"
        app_index = APP_INDEX.fullmatch(path)
        if app_index and app_index[1] in apps.app_configs:
            return user.has_module_perms(app_index[1]), "back office: an app's index"
        return False, "back office: pages of no model"
    if action in ("add", "delete"):
        return user.has_perm(_permission(model, action)), f"back office: {action} permission"
    readable = [model, *_cases_of(model)]
    return (
        any(
            user.has_perm(_permission(each, "view")) or user.has_perm(_permission(each, "change"))
            for each in readable
        ),
        "back office: view or change permission (of the model, or of the case it belongs to)",
    )


def _permission(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _cases_of(model) -> list:
    """The models a record of `model` belongs to: what a proxy model shows, and the models its
    organization_lookup passes through before the organisation ("disclosure__application__organization":
    the notice and the application)."""
    cases = [model._meta.concrete_model] if model._meta.proxy else []
    current = model._meta.concrete_model
    for name in (getattr(model, "organization_lookup", "") or "").split("__")[:-1]:
        current = current._meta.get_field(name).related_model
        cases.append(current)
    return cases
