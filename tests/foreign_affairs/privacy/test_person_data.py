"""A person's rights: the data export (everything, files decrypted) and erasure on request (refused while a
duty applies; afterwards no personal data anywhere, searched with raw SQL), from the back office and the
API, both audited."""

import dataclasses
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from apec_cards import personal_data as apec_personal_data
from apec_cards import services as apec_services
from approvals import personal_data as approvals_personal_data
from approvals.models import DelegationMember
from approvals.workflow import State
from foreign_affairs.accounts import services as account_services
from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.areas import registry
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.privacy import person_data
from foreign_affairs.privacy.models import PersonalDataAccess, Seen
from foreign_offices import personal_data as foreign_offices_personal_data
from overseas_safety import personal_data as safety_personal_data
from tests.apec_cards.helpers import pdf_upload, png_upload
from tests.approvals.factories import ApplicationFactory
from tests.factories import enterprise_user, office_user
from tests.overseas_safety.factories import SiteFactory
from tests.training import factories as training_factories
from training import personal_data as training_personal_data
from training.models import Certificate, Enrolment

# The views are tested on this module's own URLs (below): the back office's PersonAdmin with the mixin and the
# API's ROUTES under the same prefixes as the portal's, until accounts/admin.py and the API's urls add them.
pytestmark = pytest.mark.django_db

SOURCES = {
    "approvals": approvals_personal_data.SOURCE,
    "apec_cards": apec_personal_data.SOURCE,
    "training": training_personal_data.SOURCE,
    "overseas_safety": safety_personal_data.SOURCE,
    "foreign_offices": foreign_offices_personal_data.SOURCE,
}
FULL_NAME = "欧阳明月"
PINYIN = "OUYANG MINGYUE"
PASSPORT = "EA7654321"
EMAIL = "mingyue.ouyang@example.com"
PHONE = "13900001111"
NEW_PHONE = "13822223333"
PAST = datetime(2012, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _sources(monkeypatch):
    """The areas' sources, as their area.py will register them (until they do)."""
    for name, source in SOURCES.items():
        area = registry.get(name)
        if source not in area.personal_data:
            monkeypatch.setitem(
                registry._areas, name, dataclasses.replace(area, personal_data=(*area.personal_data, source))
            )


@pytest.fixture(autouse=True)
def _officer_permissions(db):
    """The officers' permissions, as accounts.roles will grant them (until it does)."""
    group = Group.objects.get(name=Role.OFFICER)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="privacy", codename__in=["export_person_data", "erase_person"]
        )
    )


class World:
    """A person with records in several areas, built through the services where the doors use them."""

    def __init__(self, organization):
        self.organization = organization
        self.officer = office_user(Role.OFFICER)
        self.applicant = enterprise_user(organization)
        self.person = account_services.person_create(
            actor=self.officer,
            organization=organization,
            full_name=FULL_NAME,
            pinyin_name=PINYIN,
            gender="female",
            birth_date=date(1980, 7, 9),
            position="总经理",
            passport_number=PASSPORT,
            passport_expiry=date(2031, 1, 1),
            phone=PHONE,
            email=EMAIL,
        )
        self.person = account_services.person_update(
            person=self.person,
            actor=self.officer,
            data={"phone": NEW_PHONE, "position": "董事长", "birth_date": date(1980, 7, 10)},
        )
        self.uploads = {}

    def travel(self, *, closed: bool):
        self.application = ApplicationFactory(
            organization=self.organization,
            trip=False,
            state=State.CLOSED if closed else State.IN_REVIEW,
            contact_name=FULL_NAME,
        )
        DelegationMember.objects.create(
            application=self.application, person=self.person, position_on_trip="团长", is_leader=True
        )

    def apec(self):
        application = apec_services.application_create(
            actor=self.applicant,
            organization=self.organization,
            data={
                "person": self.person,
                "kind": "new",
                "justification": "每年赴APEC经济体商务洽谈六次以上。",
                "economies": ["AU", "JP"],
            },
        )
        for kind, upload in (("passport", pdf_upload("passport.pdf")), ("photo", png_upload("photo.png"))):
            self.uploads[kind] = upload.read()
            upload.seek(0)
            apec_services.attachment_add(
                application=application, actor=self.applicant, kind=kind, uploaded_file=upload
            )
        self.card_application = application

    def training(self):
        session = training_factories.session(officer=self.officer)
        enrolment = Enrolment.objects.create(
            session=session, person=self.person, organization=self.organization, state="completed"
        )
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            number=f"PX-{enrolment.pk:05d}",
            course=session.course,
            person=self.person,
            organization=self.organization,
            holder_name=FULL_NAME,
            is_predeparture=True,
            issued_on=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=30),
        )
        self.uploads["certificate"] = b"%PDF-1.4 certificate of " + PINYIN.encode()
        certificate.file.save("certificate.pdf", ContentFile(self.uploads["certificate"]), save=True)
        self.certificate = certificate

    def stationed(self, *, ended: bool):
        self.site = SiteFactory(organization=self.organization)
        self.site.stationings.create(
            person=self.person,
            post="Site manager",
            starts_on=timezone.localdate() - timedelta(days=300),
            ends_on=timezone.localdate() - timedelta(days=10) if ended else None,
        )


@pytest.fixture
def world(organization):
    return World(organization)


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# The export -------------------------------------------------------------------------------------------------


def test_the_export_holds_everything_with_the_files_decrypted(world):
    world.travel(closed=False)
    world.apec()
    world.training()
    world.stationed(ended=False)

    files = _zip(person_data.export(world.person, actor=world.officer))

    data = json.loads(files["person.json"])
    assert data["person"]["full_name"] == FULL_NAME
    assert data["person"]["passport_number"] == PASSPORT  # whole, not masked
    assert data["person"]["email"] == EMAIL and data["person"]["phone"] == NEW_PHONE
    assert data["approvals"]["delegations"][0]["application"] == world.application.reference
    assert data["approvals"]["delegations"][0]["is_leader"] is True
    [card_application] = data["apec_cards"]["card_applications"]
    assert card_application["reference"] == world.card_application.reference
    assert card_application["passport_number"] == PASSPORT
    assert card_application["economies"] == ["AU", "JP"]
    assert data["training"]["certificates"][0]["number"] == world.certificate.number
    assert data["overseas_safety"]["stationings"][0]["site"] == world.site.name
    # The files: byte for byte what was uploaded, though stored encrypted.
    by_source = {entry["file"]: files[entry["file"]] for entry in data["files"]}
    assert sorted(by_source.values()) == sorted(world.uploads.values())
    assert all(name.startswith("files/") for name in by_source)
    readme = files["README.txt"].decode()
    assert "个人信息" in readme and "personal information" in readme


def test_the_export_is_recorded_and_audited_without_personal_data(world):
    person_data.export(world.person, actor=world.officer)

    record = PersonalDataAccess.objects.get(person=world.person, seen=Seen.PERSON_EXPORT)
    assert record.user == world.officer and record.door == "export"
    event = AuditEvent.objects.get(action="person.data_export")
    assert event.object_id == str(world.person.pk) and event.object_repr == f"Person #{world.person.pk}"
    stored = json.dumps([event.object_repr, event.comment, event.data], ensure_ascii=False)
    assert FULL_NAME not in stored and PASSPORT not in stored


# Duties -----------------------------------------------------------------------------------------------------


def test_erasure_is_refused_while_an_application_is_open(world):
    world.travel(closed=False)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        person_data.erase(world.person, actor=world.officer, reason="Letter of 3 March")
    assert refused.value.messages == [
        f"On travel application {world.application.reference} (in progress: In review)"
    ]
    assert Person.objects.filter(pk=world.person.pk).exists()
    assert not AuditEvent.objects.filter(action="person.erase").exists()


def test_erasure_is_refused_while_a_record_is_under_retention(world):
    world.travel(closed=True)
    closed = timezone.localdate()
    until = person_data.add_months(closed, approvals_personal_data.RETENTION_MONTHS)
    with translation.override("en"):
        assert person_data.duties(world.person) == [
            f"On travel application {world.application.reference} (kept until {until.isoformat()})"
        ]
    # The office's rule for the kind decides how long.
    from foreign_affairs.privacy.models import RetentionRule

    RetentionRule.objects.update_or_create(
        kind=approvals_personal_data.RETENTION_KIND, defaults={"months": 1}
    )
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        assert person_data.duties(world.person) == []


# Erasure: nothing left --------------------------------------------------------------------------------------


def _text_columns() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')"
        )
        return cursor.fetchall()


def _found_anywhere(values: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column, _type in _text_columns():
            for value in values:
                # The names come from information_schema, quoted; the value is a parameter.
                sql = f'SELECT count(*) FROM "{table}" WHERE lower("{column}"::text) LIKE %s'  # noqa: S608
                cursor.execute(sql, [f"%{value.lower()}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {value}")
    return found


def test_erasure_leaves_no_personal_data_anywhere(organization):
    with time_machine.travel(PAST, tick=False):
        world = World(organization)
        world.travel(closed=True)
        world.apec()
        apec_services.application_transition(
            application=world.card_application, actor=world.applicant, name="withdraw"
        )
        world.training()
        world.stationed(ended=True)
    person = world.person
    index = Person.objects.filter(pk=person.pk).values_list("passport_number_index", flat=True).get()
    needles = [FULL_NAME, PINYIN, PASSPORT, index, EMAIL, PHONE, NEW_PHONE, "1980-07-09", "1980-07-10"]
    assert _found_anywhere([FULL_NAME, PINYIN, index, EMAIL])  # the search finds what is there
    assert person_data.duties(person) == []
    files = [
        world.certificate.file.name,
        *world.card_application.attachments.values_list("document__file", flat=True),
    ]

    with TestCase_capture() as callbacks:
        counts = person_data.erase(person, actor=world.officer, reason=f"Request of {FULL_NAME}, 2026-05-01")

    assert callbacks  # the files go when the erasure commits
    assert not Person.objects.filter(pk=person.pk).exists()
    assert _found_anywhere(needles) == []
    assert counts["approvals"]["delegation_members"] == 1
    assert counts["apec_cards"] == {"card_applications": 1, "cards": 0, "files": 2}
    assert counts["training"] == {"enrolments": 1, "certificates": 1}
    from django.core.files.storage import storages

    assert not any(storages["private"].exists(name) for name in files)
    event = AuditEvent.objects.get(action="person.erase")
    assert event.object_id == str(person.pk) and event.object_repr == f"Person #{person.pk}"
    assert event.data["person"] == person.pk and event.comment == "Request of [erased], 2026-05-01"
    # The audit log is still whole.
    from foreign_affairs.audit.selectors import verify_chain

    assert verify_chain().ok


def TestCase_capture():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# The back office --------------------------------------------------------------------------------------------


def _change_url(person):
    return reverse("admin:accounts_person_change", args=[person.pk])


def test_the_admin_exports_and_erases_for_officers(client, world):
    client.force_login(world.officer)
    page = client.get(_change_url(world.person))
    export_url = reverse("admin:accounts_person_personal_data_export", args=[world.person.pk])
    erase_url = reverse("admin:accounts_person_personal_data_erase", args=[world.person.pk])
    assert export_url in page.text and erase_url in page.text

    download = client.get(export_url)
    assert download["Content-Type"] == "application/zip"
    assert f"personal-data-person-{world.person.pk}" in download["Content-Disposition"]
    assert "person.json" in _zip(download.content)
    assert PersonalDataAccess.objects.get(seen=Seen.PERSON_EXPORT).door == "admin"

    world.travel(closed=False)
    with translation.override("en"):
        refused = client.get(erase_url, HTTP_ACCEPT_LANGUAGE="en")
        assert world.application.reference in refused.text and 'data-testid="erase-form"' not in refused.text
        client.post(erase_url, {"reason": "Letter", "confirm": "on"})
    assert Person.objects.filter(pk=world.person.pk).exists()

    DelegationMember.objects.filter(person=world.person).delete()
    form = client.get(erase_url)
    assert 'data-testid="erase-form"' in form.text
    unconfirmed = client.post(erase_url, {"reason": "Letter of 3 March"})
    assert unconfirmed.status_code == 200 and Person.objects.filter(pk=world.person.pk).exists()
    done = client.post(erase_url, {"reason": "Letter of 3 March", "confirm": "on"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=world.person.pk).exists()
    assert AuditEvent.objects.filter(action="person.erase", object_id=str(world.person.pk)).exists()


@pytest.mark.parametrize("role", [Role.LEADER, Role.MANAGER])
def test_the_admin_refuses_other_office_roles(client, world, role):
    client.force_login(office_user(role))
    export_url = reverse("admin:accounts_person_personal_data_export", args=[world.person.pk])
    erase_url = reverse("admin:accounts_person_personal_data_erase", args=[world.person.pk])
    assert client.get(export_url).status_code == 403
    assert client.post(erase_url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert export_url not in client.get(_change_url(world.person)).text
    assert Person.objects.filter(pk=world.person.pk).exists()
    assert not PersonalDataAccess.objects.filter(seen=Seen.PERSON_EXPORT).exists()


# The API ----------------------------------------------------------------------------------------------------


def test_the_api_exports_and_erases_for_officers(api_as, world):
    api = api_as(world.officer)
    response = api.get(f"/api/v1/privacy/people/{world.person.pk}/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert json.loads(_zip(response.content)["person.json"])["person"]["passport_number"] == PASSPORT
    assert PersonalDataAccess.objects.get(seen=Seen.PERSON_EXPORT).door == "api"

    world.travel(closed=False)
    refused = api.post(
        f"/api/v1/privacy/people/{world.person.pk}/erase/", {"reason": "Letter"}, format="json"
    )
    assert refused.status_code == 409 and len(refused.json()["duties"]) == 1
    DelegationMember.objects.filter(person=world.person).delete()
    assert api.post(f"/api/v1/privacy/people/{world.person.pk}/erase/", {}, format="json").status_code == 400
    erased = api.post(f"/api/v1/privacy/people/{world.person.pk}/erase/", {"reason": "Letter"}, format="json")
    assert erased.status_code == 204
    assert not Person.objects.filter(pk=world.person.pk).exists()
    assert api.get(f"/api/v1/privacy/people/{world.person.pk}/export/").status_code == 404


def test_the_api_refuses_enterprise_users_and_other_roles(api_as, world):
    for user in (
        world.applicant,
        enterprise_user(world.organization, liaison=True),
        office_user(Role.LEADER),
    ):
        api = api_as(user)
        assert api.get(f"/api/v1/privacy/people/{world.person.pk}/export/").status_code == 403
        assert (
            api.post(
                f"/api/v1/privacy/people/{world.person.pk}/erase/", {"reason": "x"}, format="json"
            ).status_code
            == 403
        )
    assert Person.objects.filter(pk=world.person.pk).exists()
    assert not PersonalDataAccess.objects.filter(seen=Seen.PERSON_EXPORT).exists()
