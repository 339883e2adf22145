"""The documents section of the application form: a file chosen there is attached when the draft is
saved, the first save of a new application included (approvals.views.editing._save)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import TravelApplication
from approvals.workflow import State
from foreign_affairs.documents.models import Document
from tests.approvals.factories import ApplicationFactory
from tests.approvals.test_views import existing, form_data, leg, trip_data
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

CHOOSE_AGAIN = "choose the file again once the other problems are fixed"


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def people(organization):
    from tests.factories import PersonFactory

    return [
        PersonFactory(organization=organization, full_name="张三", position="经理"),
        PersonFactory(organization=organization, full_name="李四", position="工程师"),
    ]


def invitation(name="invitation.pdf", content=None):
    return SimpleUploadedFile(
        name, pdf_bytes() if content is None else content, content_type="application/pdf"
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_new_application_form_offers_the_file_field_as_part_of_the_form(english, applicant):
    english.force_login(applicant)
    page = english.get("/applications/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'hx-params="not file"' in page
    assert re.search(r'<input type="file" name="file"[^>]* form="application-form"', page)
    assert re.search(r'<select name="kind"[^>]* form="application-form"', page)
    assert 'value="invitation"' in page and 'value="agenda"' in page
    assert "The file is attached when you save the draft." in page
    assert "Files are attached at once" not in page and "Save the draft first" not in page


@pytest.mark.parametrize("action", ["save", "attach"])
def test_the_first_save_with_an_invitation_letter_creates_the_draft_and_attaches_it(
    english, applicant, organization, people, action
):
    english.force_login(applicant)
    data = {**trip_data(people, action=action), "kind": "invitation", "file": invitation()}
    response = english.post("/applications/new/", data)

    application = TravelApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/edit/#documents"
    assert (application.state, application.organization, application.created_by) == (
        State.DRAFT,
        organization,
        applicant,
    )
    assert application.legs.count() == 2 and application.members.count() == 3
    attachment = application.attachments.select_related("document").get()
    assert (attachment.kind, attachment.document.original_name) == ("invitation", "invitation.pdf")
    assert attachment.document.organization == organization
    application.refresh_from_db()
    assert "invitation_letter" not in {result["code"] for result in application.rule_results}

    page = english.get(response["Location"])
    assert messages_of(page) == [
        f"The draft {application.reference} was saved and “invitation.pdf” was attached as Invitation letter."
    ]
    assert 'data-kind="invitation"' in page.content.decode()


def test_save_and_submit_with_the_invitation_letter_attaches_it_before_the_rule_check(
    english, applicant, people
):
    english.force_login(applicant)
    data = {**trip_data(people, action="submit"), "kind": "invitation", "file": invitation()}
    response = english.post("/applications/new/", data)

    application = TravelApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    assert application.state == State.SUBMITTED
    assert application.attachments.filter(kind="invitation").exists()


def test_a_refused_file_leaves_the_draft_saved_and_says_why_beside_the_file_field(english, applicant, people):
    english.force_login(applicant)
    data = {
        **trip_data(people, title="赴德国考察"),
        "kind": "agenda",
        "file": invitation("letter.pdf", b"Dear partner, please come."),
    }
    response = english.post("/applications/new/", data)

    application = TravelApplication.objects.get()  # the draft is saved all the same
    body = response.content.decode()
    assert response.status_code == 200 and application.title == "赴德国考察"
    assert not application.attachments.exists() and not Document.objects.exists()
    assert messages_of(response) == [
        f"The draft {application.reference} was saved, but the file was not attached. See why under "
        "Documents, then choose a file again."
    ]
    assert 'data-testid="upload-error"' in body and 'id="id_file_error"' in body
    assert 'id="error-summary"' in body and 'href="#id_file"' in body
    # Nothing typed is lost: the form shows the saved draft, and goes on as its edit page.
    assert 'value="赴德国考察"' in body and 'value="汉堡"' in body
    assert '<option value="agenda" selected>' in body
    assert f'action="/applications/{application.pk}/edit/"' in body
    assert f'data-replace-url="/applications/{application.pk}/edit/"' in body


def test_an_invalid_draft_with_a_file_saves_nothing_and_asks_for_the_file_again(english, applicant, people):
    english.force_login(applicant)
    data = {**trip_data(people, title=""), "kind": "agenda", "file": invitation()}
    response = english.post("/applications/new/", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert not TravelApplication.objects.exists() and not Document.objects.exists()
    assert 'href="#id_title"' in body and 'href="#id_file"' in body and CHOOSE_AGAIN in body
    assert 'value="汉堡"' in body and "与合作伙伴洽谈物流合作。" in body  # what was typed stays
    assert '<option value="agenda" selected>' in body
    assert 'action="/applications/new/"' in body


def test_an_invalid_draft_without_a_file_does_not_ask_for_one(english, applicant, people):
    english.force_login(applicant)
    body = english.post("/applications/new/", trip_data(people, title="")).content.decode()
    assert CHOOSE_AGAIN not in body and 'href="#id_file"' not in body and "upload-error" not in body


def test_attach_without_a_file_saves_the_draft_and_asks_for_the_file(english, applicant, people):
    english.force_login(applicant)
    response = english.post("/applications/new/", trip_data(people, action="attach"))

    application = TravelApplication.objects.get()
    body = response.content.decode()
    assert response.status_code == 200 and not application.attachments.exists()
    assert "Choose the file to attach." in body and 'href="#id_file"' in body


def test_saving_a_draft_with_a_file_attaches_it(english, applicant, organization):
    application = ApplicationFactory(organization=organization)
    application.attachments.all().delete()
    english.force_login(applicant)
    page = english.get(f"/applications/{application.pk}/edit/").content.decode()
    assert f'hx-post="/applications/{application.pk}/attachments/"' in page
    assert "The file is attached when you press “Attach the file” or save the draft." in page

    members = [existing(member.person, leader=member.is_leader) for member in application.members.all()]
    legs = [
        leg(str(item.country), item.city, item.arrive_on, item.leave_on) for item in application.legs.all()
    ]
    data = form_data(legs=legs, members=members, initial_legs=2, initial_members=3, title="新的标题")
    response = english.post(
        f"/applications/{application.pk}/edit/", {**data, "kind": "agenda", "file": invitation("agenda.pdf")}
    )

    assert response["Location"] == f"/applications/{application.pk}/edit/#documents"
    application.refresh_from_db()
    assert application.title == "新的标题" and application.legs.count() == 2
    assert application.attachments.get().kind == "agenda"


def test_another_organisations_draft_takes_no_file(client, other_applicant, organization):
    application = ApplicationFactory(organization=organization)
    client.force_login(other_applicant)
    response = client.post(
        f"/applications/{application.pk}/edit/",
        {**form_data(), "kind": "invitation", "file": invitation("other.pdf")},
    )
    assert response.status_code == 404
    assert not Document.objects.filter(original_name="other.pdf").exists()
