"""axe-core (4.12, from axe-playwright-python) on every main page of every role, in Chinese and in English,
in the real browser: a serious or critical violation fails the test (issue 11, item 14).

The pages hold a little of everything (applications in several states, an overdue passport, a card, a
notification), so that lists, details and forms are checked with rows in them. A page's objects are
found by following the first link of its list, as a user would. With PORTAL_SCREENSHOTS=1 each page is also
left as a screenshot in tests/artifacts/ (page-<language>-<role>-<path>.png, and -phone.png at 390 px but for
the back office): the walk-through in both languages to look at."""

import os
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from approvals.models import PassportHandover, RuleSetting
from approvals.rules import RULES
from foreign_offices.services.changes import change_submit
from foreign_offices.services.registry import profile_update
from tests.apec_cards.helpers import issued_card
from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_chromium
from tests.exchanges.factories import activity as exchange_activity
from tests.exchanges.factories import city as exchange_city
from tests.exchanges.factories import run as exchange_run
from tests.foreign_offices.factories import enquiry, member_of, opened_case
from tests.overseas_safety.factories import SiteFactory, StationingFactory, report
from tests.projects.factories import published as published_project

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 720}
# Every page as a picture to look at costs as much time as the checks: taken when asked for
# (PORTAL_SCREENSHOTS=1 make test), as before a change to the pages is called done.
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS", "") == "1"
PHONE = {"width": 390, "height": 844}
AXE = Axe()

# role → pages; "a:<list path>|<css selector>" follows the first matching link of that list.
PAGES = {
    None: [
        "/",
        "/apec/",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/verify/",
        "/notices/",
        "/foreign-offices/",
        "/foreign-offices/enquiry/",
        "/foreign-offices/directory/",
        "a:/foreign-offices/directory/|[data-testid=directory-link]",
        "/projects/",
        "a:/projects/|[data-testid=project-link]",
        "/exchanges/",
        "a:/exchanges/friendship-cities/|[data-testid=city-link]",
        "/exchanges/media/",
    ],
    "applicant": [
        "/dashboard/",
        "/applications/",
        "a:/applications/|[data-testid=application-table] tbody a",
        "/applications/new/",
        "/people/",
        "a:/people/|tbody a",
        "/people/new/",
        "/apec/eligibility/",
        "/apec/applications/",
        "a:/apec/applications/|tbody a",
        "/apec/applications/new/",
        "/apec/cards/",
        "/notifications/",
        "/accounts/profile/",
        "/organisation/",
        "/projects/our/",
        "a:/projects/our/|tbody a",
        "/projects/our/new/",
        "a:/exchanges/visits/|main h3 a",
    ],
    "liaison": [
        "/applications/endorsements/",
        "/applications/passports/",
        "/safety/",
        "/safety/incidents/report/",
        "a:/safety/incidents/|tbody a",
        "/safety/sites/",
        "/safety/presence/",
    ],
    "officer": [
        "/dashboard/",
        "/admin/",
        "/admin/approvals/travelapplication/",
        "a:/admin/approvals/travelapplication/|#result_list tbody th a",
        "/admin/apec_cards/cardapplication/",
        "/admin/apec_cards/card/",
        "a:/admin/apec_cards/card/|#result_list tbody th a",
        "/admin/audit/auditevent/",
        "/admin/overseas_safety/incident/",
        "a:/admin/overseas_safety/incident/|#result_list tbody th a",
        "/admin/foreign_offices/setupcase/",
        "a:/admin/foreign_offices/setupcase/|#result_list tbody th a",
        "/admin/foreign_offices/foreignorganisation/",
        "a:/admin/foreign_offices/foreignorganisation/|#result_list tbody th a",
        "/admin/foreign_offices/changerequest/",
        "a:/admin/foreign_offices/changerequest/|#result_list tbody th a",
        "/admin/projects/cooperationproject/",
        "a:/admin/projects/cooperationproject/|#result_list tbody th a",
        "a:/admin/exchanges/activity/|#result_list tbody th a",
        "/admin/exchanges/friendshipcity/",
    ],
    "foreign": [
        "/dashboard/",
        "/foreign-offices/my/",
        "/foreign-offices/my/reports/",
        "/foreign-offices/my/reports/new/",
        "/foreign-offices/my/changes/",
        "/foreign-offices/my/changes/new/",
        "/foreign-offices/my/changes/new/address/",
        "a:/foreign-offices/my/changes/|tbody a",
    ],
    "leader": [
        "/admin/approvals/signoffqueue/",
        "/admin/approvals/rulesetting/",
        "a:/admin/approvals/rulesetting/|#result_list tbody th a",
    ],
    "manager": ["/reports/", "/reports/exports/"],
}


@pytest.fixture
def something_of_everything(organization, applicant, liaison, officer, leader, manager, settings):
    """Applications in several states (one with an overdue passport), an issued card, a rule setting."""
    ApplicationFactory(organization=organization, created_by=applicant)
    ApplicationFactory(organization=organization, submitted=True, created_by=applicant)
    ApplicationFactory(organization=organization, in_review=True, assigned_officer=officer)
    ApplicationFactory(organization=organization, pending_signoff=True)
    trip = ApplicationFactory(organization=organization, permit_issued=True)
    person = trip.members.first().person
    PassportHandover.objects.create(
        person=person,
        application=trip,
        passport_number=person.passport_number,
        handed_out_by=officer,
        handed_to=person.full_name,
        due_on=timezone.localdate() - timedelta(days=2),
    )
    issued_card(applicant=applicant, liaison=liaison, officer=officer)
    RuleSetting.objects.get_or_create(code=next(iter(RULES)))
    StationingFactory(site=SiteFactory(organization=organization))
    report(liaison, people=[person.pk], statuses={person.pk: "injured"})
    # A foreign organisation's office, registered last year and listed publicly, with a change request waiting.
    registered = date(timezone.localdate().year - 1, 6, 1)
    office = opened_case(officer, registered_on=registered).organisation
    member = member_of(office)
    member.set_password(settings.DEMO_PASSWORD)
    member.save()
    profile_update(
        organisation=office, actor=member, data={"list_publicly": True, "description": "Sales and service."}
    )
    enquiry(organisation_name="Nordlicht Design AB", country="SE", contact_email="karin@example.se")
    change_submit(
        organisation=office, actor=member, kind="staff", proposed={"staff_foreign": 2, "staff_local": 6}
    )
    published_project(officer, enterprises=[organization])
    # A visit to the enterprise, confirmed and on the public calendar, by a friendship city's delegation.
    pair = exchange_city(officer)
    visit = exchange_activity(
        officer, public=True, friendship_city=pair.pk, enterprises_visited=[organization.pk]
    )
    exchange_run(exchange_run(visit, leader, "approve"), officer, "confirm")
    return {
        "foreign": member,
        "applicant": applicant,
        "liaison": liaison,
        "officer": officer,
        "leader": leader,
        "manager": manager,
    }


def _violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def _slug(path: str) -> str:
    return "-".join(part for part in path.split("/") if part) or "home"


def _open(page, base: str, entry: str) -> str:
    if not entry.startswith("a:"):
        page.goto(base + entry)
        return entry
    listing, selector = entry[2:].split("|")
    page.goto(base + listing)
    link = page.locator(selector).first
    href = link.get_attribute("href")
    assert href, f"{listing} shows no link matching {selector} in the demo data"
    page.goto(base + href if href.startswith("/") else href)
    return href


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", list(PAGES), ids=lambda role: role or "anonymous")
def test_main_pages_have_no_serious_accessibility_violations(
    page, live_server, something_of_everything, settings, role, language, screenshot
):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    if role:
        _sign_in(page, live_server.url, something_of_everything[role].username, settings.DEMO_PASSWORD)
    found = {}
    for entry in PAGES[role]:
        path = _open(page, live_server.url, entry)
        assert page.locator("html").get_attribute("lang").lower().startswith(language[:2]), path
        problems = _violations(page)
        if problems:
            found[path] = problems
        if not SCREENSHOTS:
            continue
        # The same page to look at, on a laptop and (but for the back office) on a phone.
        name = f"page-{language}-{role or 'anonymous'}-{_slug(path)}"
        screenshot(name)
        if not path.startswith("/admin/"):
            page.set_viewport_size(PHONE)
            page.reload()  # as a phone opens it (a list folds its filters on load)
            screenshot(f"{name}-phone")
            page.set_viewport_size(DESKTOP)
    assert found == {}, "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in found.items())
