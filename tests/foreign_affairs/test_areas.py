"""Areas plug in through one registration (foreign_affairs.areas), and the shared layer names none of them."""

import ast
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role, role_permissions, sync_roles
from foreign_affairs.audit.labels import label_for
from foreign_affairs.celery import app as celery_app
from foreign_affairs.context_processors import nav_items
from foreign_affairs.dashboard import Tile, dashboard_for
from foreign_affairs.documents.verification import Verification, verify
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import REPORTS, Column, ReportDefinition, Section, dashboard_sections

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "foreign_affairs"
# The URLconf is the one shared module an area is added to (with INSTALLED_APPS in settings).
ALLOWED = {SHARED / "urls.py"}


def area_packages() -> set[str]:
    """Every top-level package with an area.py, registered or not."""
    return {path.parent.name for path in ROOT.glob("*/area.py")}


def shared_modules():
    for path in sorted(SHARED.rglob("*.py")):
        if path not in ALLOWED and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), str(path))


def test_every_area_package_registers_itself():
    assert area_packages() == {area.name for area in areas.all_areas()} >= {"approvals", "apec_cards"}


def test_the_shared_layer_imports_no_area():
    """Not at the top of a module and not inside a function: `foreign_affairs/` imports no area."""
    packages = area_packages()
    found = []
    for path, tree in shared_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] in packages
            ]
    assert found == []


def _installed_apps_node(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "INSTALLED_APPS" for t in node.targets
        ):
            return node.value
    return None


def test_the_shared_layer_names_no_area_in_its_code_or_templates():
    """No dotted path, URL name or template path of an area ("approvals.tasks", "approvals:list",
    "admin/approvals/...") in the shared code or the site-wide templates; INSTALLED_APPS excepted."""
    names = "|".join(sorted(area_packages()))
    in_string = re.compile(rf"^({names})([.:]|$)")
    in_template = re.compile(rf"(['\"/]|\b)({names})[.:/]")
    found = []
    for path, tree in shared_modules():
        installed = _installed_apps_node(tree)
        skipped = set(ast.walk(installed)) if installed is not None else set()
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and node not in skipped and in_string.match(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    for folder in (ROOT / "templates", SHARED):
        for path in folder.rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if in_template.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number} {line.strip()}")
    assert found == []


def test_the_checks_find_an_area_import(tmp_path):
    """The import check is not vacuous: it reads imports inside functions too."""
    tree = ast.parse("def f():\n    from approvals.services import x\n")
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported == ["approvals.services"] and "approvals" in area_packages()


# The registry --------------------------------------------------------------------------------------------


def _resolve_test_code(code: str):
    if code == "TEST-0001":
        return Verification(kind="Test certificate", status="valid", status_label="Valid")
    return None


def _test_tile(user, dashboard):
    dashboard.tiles.append(Tile("Test area figure", 42))


def _test_panel(filters):
    return [Section("test-area", "Test area section")]


TEST_REPORT = ReportDefinition(
    name="test_area_report",
    title="Test area report",
    description="A report of the test area",
    columns=[Column("name", "Name")],
    rows=lambda filters: [("one",)],
    count=lambda filters: 1,
)


@pytest.fixture
def test_area():
    """An area registered by a test: everything a real one registers, under the label of an installed app
    that is not an area (its permissions must be that app's own)."""
    area = areas.Area(
        name="workdays",
        title="Test area",
        policy_area=5,
        nav=[areas.NavItem("Test area page", "home", "enterprise", "/test-area/", order=30)],
        links=[areas.ServiceLink("Test area entry", "home")],
        start_page=[_test_tile],
        reports=[TEST_REPORT],
        panels=[_test_panel],
        demo=areas.DemoData(lambda: 3, "test records", order=5),
        verification=[areas.VerificationKind("test_certificate", _resolve_test_code)],
        permissions={Role.APPLICANT: {"workdays.view_calendarday"}},
        audit_labels={"test_area.do": "did the test thing"},
        periodic=[areas.PeriodicJob("test-area-job", "test_area.job", 3600)],
    )
    areas.register(area)
    yield area
    areas.unregister(area.name)


def test_a_second_registration_of_the_same_name_is_refused(test_area):
    with pytest.raises(areas.AlreadyRegistered, match="'workdays' is already registered"):
        areas.register(areas.Area(name="workdays", title="Again", policy_area=5))


def test_names_another_area_registered_are_refused():
    taken = REPORTS["travel_approvals"]
    with pytest.raises(areas.AlreadyRegistered, match=r"report 'travel_approvals'.*'approvals'"):
        areas.register(areas.Area(name="audit", title="Copy", policy_area=5, reports=[taken]))
    with pytest.raises(areas.AlreadyRegistered, match="verification kind 'permit'"):
        areas.register(
            areas.Area(
                name="audit",
                title="Copy",
                policy_area=5,
                verification=[areas.VerificationKind("permit", print)],
            )
        )
    assert "audit" not in {area.name for area in areas.all_areas()}


def test_an_area_grants_only_its_own_permissions():
    with pytest.raises(ImproperlyConfigured, match=r"only its own permissions, not accounts\.view_user"):
        areas.register(
            areas.Area(
                name="audit",
                title="Greedy",
                policy_area=5,
                permissions={Role.OFFICER: {"accounts.view_user"}},
            )
        )


@pytest.mark.django_db
def test_a_registered_area_reaches_every_shared_part(test_area, applicant, client, settings):
    # Navigation, in its place between the shared items.
    order = [item.url_name for item in nav_items()]
    assert order.index("dashboard") < order.index("home", 1) < order.index("accounts:person_list")
    client.force_login(applicant)
    assert "Test area page" in client.get("/dashboard/").content.decode()
    # The start page, the home page's link, reports and dashboard panels, verification, audit labels.
    assert Tile("Test area figure", 42) in dashboard_for(applicant).tiles
    assert "Test area entry" in client.get("/").content.decode()
    assert REPORTS["test_area_report"] is TEST_REPORT and "test_area_report" in list(REPORTS)
    assert "test-area" in [
        section.key for section in dashboard_sections(Filters(date(2026, 1, 1), date(2026, 12, 31)))
    ]
    assert verify("TEST-0001").kind == "Test certificate" and verify("TEST-0002") is None
    assert label_for("test_area.do") == "did the test thing"
    # Role permissions, given to the groups by the post-migrate sync.
    assert "workdays.view_calendarday" in role_permissions()[Role.APPLICANT]
    sync_roles()
    assert Group.objects.get(name=Role.APPLICANT).permissions.filter(codename="view_calendarday").exists()


@pytest.mark.django_db
def test_seed_demo_seeds_the_shared_data_then_each_area_in_its_order(test_area, settings, monkeypatch):
    """The command knows no area: it runs each registered area's demo by `order` (stand-ins record it)."""
    settings.DEBUG = True
    seeded = []

    def stand_in(area):
        def seed():
            seeded.append(area.name)
            return 1

        return areas.Area(
            name=area.name,
            title="",
            policy_area=1,
            demo=areas.DemoData(seed, area.demo.label, area.demo.order),
        )

    registered = [area for area in areas.all_areas() if area.demo]
    monkeypatch.setattr(
        "foreign_affairs.accounts.management.commands.seed_demo.all_areas",
        lambda: [stand_in(area) for area in registered],
    )
    monkeypatch.setattr("foreign_affairs.accounts.demo.seed", lambda: seeded.append("shared") or {"users": 0})
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert seeded == [
        "shared",
        "workdays",
        "training",
        "approvals",
        "apec_cards",
        "overseas_safety",
        "foreign_offices",
        "projects",
        "exchanges",
    ]
    assert "1 test records" in out.getvalue() and "1 travel applications" in out.getvalue()


def test_periodic_jobs_of_the_areas_are_in_the_beat_schedule():
    schedule = celery_app.conf.beat_schedule
    for area in areas.all_areas():
        for job in area.periodic:
            assert schedule[job.name]["task"] == job.task
    assert schedule["notifications-retry-pending"]["task"] == "notifications.retry_pending"


def test_an_area_owns_its_demo_data_post_migrate_hook_and_api_enums(settings):
    apec = areas.get("apec_cards")
    assert apec.after_migrate is not None
    overrides = settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
    for area in areas.all_areas():
        for name, choices in area.api_enums.items():
            assert overrides[name] is choices
    assert apps.get_app_config("apec_cards").label == apec.name
