"""The foreign-organisations part of seed_demo: setting-up cases in every state, a registry of a dozen
organisations of several countries and kinds, annual reports on time, late, returned and overdue, change
requests decided and waiting, and the `foreignrep` account of a foreign organisation — all through the
services, so audited in order of time.

What the demo holds is read from the shared `demo` fixture (seed_demo --size small, once per session); that
every step is accepted, that seeding again adds nothing and the year's size are seeded here on the shared
demo's accounts only."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Count
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import User
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_offices import demo as offices_demo
from foreign_offices import selectors
from foreign_offices.models import (
    AnnualReport,
    CaseMessage,
    CaseNote,
    ChangeRequest,
    FieldChange,
    ForeignOrganisation,
    ReportingWindow,
    ReportReminder,
    SetupCase,
)
from foreign_offices.services import annual
from foreign_offices.workflow import CaseState, ChangeKind, ChangeState, OrganisationState, ReportState

pytestmark = pytest.mark.django_db


def _seed(size: str):
    with accounts_demo.sized(size):
        accounts_demo.seed()
        offices = offices_demo.OfficesDemo(year=size == accounts_demo.YEAR)
        offices.plan()
        started = time.perf_counter()
        created = offices.play()
        seconds = time.perf_counter() - started
    return offices, created, seconds


def _counts() -> dict:
    models = (SetupCase, ForeignOrganisation, AnnualReport, ChangeRequest, FieldChange, CaseNote, AuditEvent)
    return {model: model._base_manager.count() for model in models}


def test_every_step_is_accepted_and_seeding_again_adds_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        offices, created, seconds = _seed(accounts_demo.SMALL)
    print(f"foreign_offices demo (small): {seconds:.2f} s")  # shown with -s
    assert offices.failures == []
    assert created == SetupCase.objects.count() == 11
    # The past's e-mails count as sent then: none now, none waiting.
    assert mailoutbox == [] and mail.outbox == []
    assert not CaseMessage.objects.filter(sent_at=None).exists()
    before = _counts()
    with accounts_demo.sized(accounts_demo.SMALL):
        assert offices_demo.seed() == 0
    assert _counts() == before


def test_cases_in_every_state_from_several_countries(demo):
    assert set(SetupCase.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert SetupCase.objects.values("country").distinct().count() >= 8
    assert SetupCase.objects.values("kind").distinct().count() >= 4
    assert CaseNote.objects.filter(action="setup_case.note").count() >= 8
    assert selectors.overdue_cases().exists()  # the Dutch company's documents, long in preparation
    for case in SetupCase.objects.all():
        assert case.contact_email.endswith(("@example.com", "@example.de")), case.contact_email
        assert case.assigned_officer is not None
    opened = SetupCase.objects.filter(state=CaseState.OPENED)
    assert all(case.organisation.account_id for case in opened)
    assert len({case.contact_email for case in opened}) == opened.count()


def test_a_registry_of_a_dozen_organisations_of_several_countries_and_kinds(demo):
    organisations = ForeignOrganisation.objects.all()
    assert organisations.count() >= 12
    assert organisations.values("country").distinct().count() >= 5
    assert organisations.values("kind").distinct().count() >= 3
    assert organisations.filter(case__isnull=True).count() >= 8  # entered by the office
    assert organisations.filter(state=OrganisationState.SUSPENDED).count() == 1
    closed = organisations.get(state=OrganisationState.CLOSED)
    assert closed.change_requests.filter(kind=ChangeKind.CLOSURE, state=ChangeState.APPROVED).exists()
    assert not closed.list_publicly
    assert selectors.expiring_registrations().filter(state=OrganisationState.ACTIVE).count() >= 2
    listed = selectors.public_directory()
    assert listed.count() >= 8
    assert all(entry.description and entry.description_zh and entry.website for entry in listed)
    assert all(".example.com" in entry.website for entry in listed)


def test_annual_reports_on_time_late_returned_and_overdue(demo):
    year = annual.current_report_year()
    reports = AnnualReport.objects.filter(year=year)
    assert reports.filter(on_time=True, state=ReportState.ACCEPTED).count() >= 6
    assert reports.filter(on_time=False).count() >= 2
    assert reports.filter(on_time=False, state=ReportState.SUBMITTED).exists()
    assert reports.filter(state=ReportState.RETURNED).count() == 1
    # The Korean association never filed: overdue, and shown so in the registry.
    korean = ForeignOrganisation.objects.get(name_zh="华中韩国商会郑州代表处")
    assert annual.overdue_organisations().filter(pk=korean.pk).exists()
    registry = selectors.registry_for(User.objects.get(username="officer"))
    assert registry.get(pk=korean.pk).report_overdue
    assert registry.filter(report_overdue=True, case__isnull=True).count() == 0
    if not ReportingWindow.objects.filter(year=year).exists():
        # The default window, long past: reminded before the due date and after it.
        stages = set(ReportReminder.objects.filter(organisation=korean).values_list("stage", flat=True))
        assert {"before-30", "after-14"} <= stages


def test_a_demo_made_early_in_the_year_has_late_and_overdue_reports_too(django_capture_on_commit_callbacks):
    # 20 February: last year's reports are not due yet by default; the office set an earlier window.
    with time_machine.travel(datetime(2027, 2, 20, 10, tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            offices, _created, _seconds = _seed(accounts_demo.SMALL)
        assert offices.failures == []
        window = ReportingWindow.objects.get(year=2026)
        assert window.due_on < timezone.localdate()
        reports = AnnualReport.objects.filter(year=2026)
        assert reports.filter(on_time=True).exists() and reports.filter(on_time=False).exists()
        assert annual.overdue_organisations().filter(name_zh="华中韩国商会郑州代表处").exists()


def test_change_requests_approved_rejected_and_waiting_with_the_old_values_in_the_history(demo):
    states = dict(ChangeRequest.objects.values_list("state").annotate(n=Count("pk")))
    assert states[ChangeState.APPROVED] >= 3 and states[ChangeState.REJECTED] >= 1
    assert states[ChangeState.SUBMITTED] >= 1
    approved = set(ChangeRequest.objects.filter(state=ChangeState.APPROVED).values_list("kind", flat=True))
    assert {ChangeKind.ADDRESS, ChangeKind.CHIEF_REPRESENTATIVE, ChangeKind.CLOSURE} <= approved
    chief = FieldChange.objects.get(field="chief_representative", change_request__isnull=False)
    assert "Thomas Weber" in chief.old_value and "Katharina Vogel" in chief.new_value
    address = FieldChange.objects.get(field="address", change_request__kind=ChangeKind.ADDRESS)
    assert address.old_value and address.new_value and address.old_value != address.new_value


def test_foreignrep_signs_in_and_sees_its_organisation(demo, client):
    assert client.login(username="foreignrep", password=settings.DEMO_PASSWORD)
    user = User.objects.get(username="foreignrep")
    organisation = selectors.organisation_of(user)
    assert organisation.name == "Kessler Antriebstechnik GmbH Zhengzhou Representative Office"
    assert organisation.chief_representative.full_name == "Katharina Vogel"
    assert user.organization.kind == "foreign"
    assert {report.organisation for report in selectors.reports_for(user)} == {organisation}
    assert selectors.reports_for(user).get().state == ReportState.RETURNED
    assert {request.organisation for request in selectors.change_requests_for(user)} == {organisation}
    assert selectors.case_list_for(user).get().organisation == organisation
    assert client.get("/foreign-offices/my/").status_code == 200


def test_the_audit_chain_is_intact_and_each_record_reads_in_order_of_time(demo):
    assert verify_chain().ok
    previous = {}
    ours = ContentType.objects.filter(app_label="foreign_offices")
    events = (
        AuditEvent.objects.filter(content_type__in=ours)
        .order_by("id")
        .values_list("content_type", "object_id", "created_at")
    )
    for content_type, object_id, moment in events.iterator():
        key = (content_type, object_id)
        assert moment >= previous.get(key, moment), key
        previous[key] = moment
    assert not AuditEvent.objects.filter(created_at__gt=timezone.now()).exists()
    assert not SetupCase.objects.filter(created_at__gt=timezone.now()).exists()


def test_the_year_adds_a_year_of_cases(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        offices, created, seconds = _seed(accounts_demo.YEAR)
    print(f"foreign_offices demo (year): {seconds:.2f} s")  # shown with -s
    assert offices.failures == []
    assert 20 <= created == SetupCase.objects.count() <= 30
    assert set(SetupCase.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert ForeignOrganisation.objects.count() >= 17
    assert mailoutbox == []
    assert verify_chain().ok
