"""The enterprise's own cooperation projects (/projects/our/) and the leads forwarded to it (/projects/our/leads/):
entering and changing a draft through the form, submitting it for review, its documents, the leads,
scoping (another enterprise gets 404), office staff sent to the back office, and lists whose queries do not
grow with their rows."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from foreign_affairs.accounts.models import OrganizationKind
from projects.models import CooperationProject, ProjectDocument
from projects.services import interest as interest_services
from projects.services import projects as services
from projects.workflow import Publication, Source
from tests.factories import OrganizationFactory, enterprise_user

from .factories import industry, interest, project

pytestmark = pytest.mark.django_db

OUR = "/projects/our/"
NEW = "/projects/our/new/"
LEADS = "/projects/our/leads/"

FORM = {
    "title_zh": "郑州跨境电商海外仓合作",
    "title_en": "Overseas warehouse for cross-border e-commerce",
    "description_zh": "寻求波兰物流伙伴共建海外仓。",
    "description_en": "We seek a Polish logistics partner for a shared overseas warehouse.",
    "channel": "foreign_affairs",
    "ftz_area": "zhengzhou",
    "mode": "joint_venture",
    "partner_country": "PL",
    "partner_city": "Łódź",
    "partner_organisation": "",
    "amount": "3500000",
    "currency": "EUR",
    "contact_name": "李娜",
    "contact_email": "li.na@example.cn",
    "contact_phone": "+86 371 6000 0000",
}


@pytest.fixture
def as_user(client):
    """`client` signed in as `user`, in English (assertions read the source strings)."""

    def sign_in(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


def text(response) -> str:
    return response.content.decode()


def detail(item) -> str:
    return reverse("projects:our_detail", args=[item.pk])


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def forwarded_lead(officer, item, **overrides):
    lead = interest(item, **overrides)
    return interest_services.interest_run(interest=lead, actor=officer, name="forward")


# Entering a project ----------------------------------------------------------------------------------------


def test_the_form_starts_with_the_enterprises_area_and_the_users_contact(as_user, applicant):
    applicant.organization.ftz_area = "luoyang"
    applicant.organization.save()
    page = text(as_user(applicant).get(NEW))
    assert f'value="{applicant.email}"' in page
    assert '<option value="luoyang" selected>' in page
    assert "both languages are needed before the office can publish" in page
    assert "Priority industries" in page and "Luoyang area" in page


def test_an_enterprise_enters_a_project_that_involves_it(as_user, applicant):
    data = {**FORM, "industries": [industry("logistics").pk, industry("cross-border-e-commerce").pk]}
    response = as_user(applicant).post(NEW, data)
    item = CooperationProject.objects.get()
    assert response.status_code == 302 and response.url == detail(item)
    assert list(item.enterprises.all()) == [applicant.organization]
    assert item.source == Source.ENTERPRISE and item.created_by == applicant
    assert item.publication == Publication.DRAFT and item.partner_country.code == "PL"
    assert {i.code for i in item.industries.all()} == {"logistics", "cross-border-e-commerce"}
    assert str(item.amount) == "3500000.00" and item.currency == "EUR"
    page = text(as_user(applicant).get(response.url))
    assert "was saved as a draft" in page and item.reference in page
    assert "3,500,000.00 EUR" in page
    assert "entered the cooperation project" in page  # the timeline


def test_form_errors_keep_what_was_typed_and_are_summed_up(as_user, applicant):
    data = {
        **FORM,
        "title_zh": "",
        "title_en": "",
        "partner_country": "CN",
        "amount": "250000",
        "currency": "",
        "industries": [industry("robots").pk],
    }
    response = as_user(applicant).post(NEW, data)
    assert response.status_code == 400
    page = text(response)
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    for field in ("title_zh", "partner_country", "currency"):
        assert f'href="#id_{field}"' in summary, field
    assert "Give the project a title, in Chinese or in English." in page
    assert "for the mainland of China there is no partner abroad" in page
    assert "Give the currency of the amount." in page
    # Nothing typed is lost.
    assert FORM["description_zh"] in page and 'value="Łódź"' in page and 'value="250000"' in page
    assert re.search(
        rf'<input type="checkbox" name="industries" value="{industry("robots").pk}"[^>]* checked>', page
    )
    assert not CooperationProject.objects.exists()


def test_only_applicants_and_liaisons_enter_projects(as_user, organization):
    from foreign_affairs.accounts.models import Membership

    member = enterprise_user(organization)
    Membership.objects.filter(user=member).update(is_liaison=False)
    member.groups.clear()
    member.__dict__.pop("roles", None)
    response = as_user(member).get(NEW)
    assert response.status_code == 403 and "You cannot enter projects" in text(response)


# Changing and submitting -------------------------------------------------------------------------------------


def test_a_draft_is_changed_through_the_form(as_user, applicant):
    item = project(applicant)
    client = as_user(applicant)
    page = text(client.get(f"{detail(item)}edit/"))
    assert 'value="Stuttgart"' in page  # the form shows the project's values
    response = client.post(
        f"{detail(item)}edit/", {**FORM, "partner_city": "München", "amount": "", "currency": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.partner_city == "München" and item.amount is None and item.currency == ""
    page = text(client.get(detail(item)))
    assert "The changes to" in page and "changed the cooperation project" in page


def test_a_project_in_review_is_not_changed_and_the_page_says_why(as_user, applicant):
    item = project(applicant)
    item = services.publication_run(project=item, actor=applicant, name="submit_for_review")
    client = as_user(applicant)
    for response in (client.get(f"{detail(item)}edit/"), client.post(f"{detail(item)}edit/", FORM)):
        assert response.status_code == 409
        page = text(response)
        assert "Only a draft is changed here; this project is “In review”" in page
        assert f'href="{detail(item)}"' in page
    item.refresh_from_db()
    assert item.partner_city == "Stuttgart"
    page = text(client.get(detail(item)))
    assert 'data-testid="edit"' not in page and 'data-testid="submit-for-review"' not in page
    assert 'data-testid="upload-form"' not in page


def test_the_enterprise_submits_its_draft_for_review(as_user, applicant, officer):
    item = project(applicant, title_en="", description_en="")
    client = as_user(applicant)
    page = text(client.get(detail(item)))
    assert "Submit it for review when ready" in page
    assert 'data-testid="submit-for-review"' in page and 'data-testid="edit"' in page
    assert page.count("btn btn-primary") == 1  # one primary button: the step forward
    assert "Still missing for publication: Title (English), Description (English)." in page
    response = client.post(f"{detail(item)}submit/")
    assert response.status_code == 302 and response.url == detail(item)
    item.refresh_from_db()
    assert item.publication == Publication.IN_REVIEW
    page = text(client.get(detail(item)))
    assert "was submitted for review" in page and "The office is checking the project" in page
    assert "submitted the project for publication" in page
    response = client.post(f"{detail(item)}submit/")  # twice: the state says no
    assert response.status_code == 302
    assert "is not possible in the state" in text(client.get(detail(item)))


def test_a_published_project_links_to_its_public_page(as_user, applicant, officer):
    item = project(applicant)
    item = services.publication_run(project=item, actor=officer, name="publish")
    page = text(as_user(applicant).get(detail(item)))
    assert f'href="{item.get_absolute_url()}"' in page and "is in the public catalogue" in page


# The list ----------------------------------------------------------------------------------------------------


def test_the_list_shows_the_enterprises_projects_with_their_states(
    as_user, applicant, officer, other_applicant
):
    mine = project(applicant, title_en="<script>alert(1)</script> Drive line")
    involved = project(officer, enterprises=[applicant.organization], channel="overseas_chinese")
    services.publication_run(project=involved, actor=officer, name="publish")
    forwarded_lead(officer, involved)
    other = project(other_applicant, title_en="Not ours")
    page = text(as_user(applicant).get(OUR))
    assert mine.reference in page and involved.reference in page and other.reference not in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    row = page.split(f'data-project="{involved.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="state-tag state-success" data-state="published"' in row
    assert 'data-stage="lead"' in row and "Overseas Chinese affairs" in row
    assert f'href="/projects/our/leads/?project={involved.pk}">1</a>' in row
    assert "Leads (1)" in page


def test_the_list_searches_and_filters_in_the_url(as_user, applicant, officer):
    draft = project(applicant, title_en="Robot arms", title_zh="机械臂")
    published = project(officer, enterprises=[applicant.organization], channel="friendship_city")
    services.publication_run(project=published, actor=officer, name="publish")
    client = as_user(applicant)
    page = text(client.get(OUR, {"search": "机械"}))
    assert draft.reference in page and published.reference not in page
    page = text(client.get(OUR, {"publication": "published"}))
    assert published.reference in page and draft.reference not in page
    assert "Published (1)" in page
    page = text(client.get(OUR, {"channel": "friendship_city", "stage": "lead"}))
    assert published.reference in page and draft.reference not in page
    page = text(client.get(OUR, {"search": "nothing like it"}))
    assert "No project matches your search and filters." in page
    page = text(client.get(OUR, {"publication": "bogus", "ordering": "nope", "page": "x"}))
    assert draft.reference in page and published.reference in page  # what cannot be read is ignored


def test_odd_addresses_and_parameters_answer_404_or_the_page(as_user, applicant):
    client = as_user(applicant)
    for url in ("/projects/our/99999999999999999999/", "/projects/our/leads/99999999999999999999/"):
        assert client.get(url).status_code == 404, url
    assert client.get(LEADS, {"project": "99999999999999999999"}).status_code == 200
    assert client.get(LEADS, {"project": "x", "page": "-1"}).status_code == 200
    assert client.get(f"{OUR}1/submit/").status_code == 405


def test_an_empty_list_says_what_to_do(as_user, applicant):
    page = text(as_user(applicant).get(OUR))
    assert "You have no cooperation projects yet. Enter one to find partners abroad." in page
    assert page.count('href="/projects/our/new/"') == 1 and "Enter a project" in page


# Documents ---------------------------------------------------------------------------------------------------


def test_a_png_is_attached_and_removed_while_the_project_is_a_draft(as_user, applicant):
    item = project(applicant)
    client = as_user(applicant)
    response = client.post(f"{detail(item)}documents/", {"kind": "image", "file": png()})
    assert response.status_code == 302 and response.url.endswith("#documents")
    attachment = ProjectDocument.objects.get(application=item)
    assert attachment.kind == "image"
    page = text(client.get(detail(item)))
    assert f'href="{attachment.document.get_absolute_url()}"' in page and "photo.png" in page
    assert client.get(attachment.document.get_absolute_url()).status_code == 200
    response = client.post(f"{detail(item)}documents/{attachment.pk}/remove/")
    assert response.status_code == 302 and not ProjectDocument.objects.filter(application=item).exists()
    assert "was removed from the project" in text(client.get(detail(item)))


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8, b"Just some words, not a picture.\n"],
    ids=["exe", "text"],
)
def test_a_file_renamed_png_is_refused_with_a_clear_message(as_user, applicant, content):
    item = project(applicant)
    upload = SimpleUploadedFile("photo.png", content, content_type="image/png")
    response = as_user(applicant).post(f"{detail(item)}documents/", {"kind": "image", "file": upload})
    assert response.status_code == 400
    page = text(response)
    assert 'data-testid="upload-error"' in page
    assert "Only PDF, JPEG and PNG files are accepted, and this file is none of them." in page
    assert not ProjectDocument.objects.exists()


def test_documents_do_not_change_once_the_project_is_in_review(as_user, applicant):
    item = project(applicant)
    client = as_user(applicant)
    client.post(f"{detail(item)}documents/", {"kind": "brochure", "file": png("brochure.png")})
    attachment = ProjectDocument.objects.get()
    services.publication_run(project=item, actor=applicant, name="submit_for_review")
    response = client.post(f"{detail(item)}documents/", {"kind": "image", "file": png()})
    assert response.status_code == 302
    response = client.post(f"{detail(item)}documents/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert ProjectDocument.objects.count() == 1
    assert "changed by the office; write to your officer" in text(client.get(detail(item)))


# Leads -------------------------------------------------------------------------------------------------------


def test_only_forwarded_leads_reach_the_enterprise(as_user, applicant, officer):
    item = project(officer, enterprises=[applicant.organization])
    item = services.publication_run(project=item, actor=officer, name="publish")
    received = interest(item, name="Hidden Person", email="hidden@example.com")
    lead = forwarded_lead(officer, item, phone="+39 011 555 0101")
    client = as_user(applicant)
    page = text(client.get(LEADS))
    assert "Maria Rossi" in page and "Hidden Person" not in page and "Italy" in page
    assert client.get(f"{LEADS}{received.pk}/").status_code == 404
    page = text(client.get(f"{LEADS}{lead.pk}/"))
    assert 'href="mailto:maria.rossi@example.it"' in page and 'href="tel:+390115550101"' in page
    assert "We make electric drive housings" in page and f'href="{detail(item)}"' in page
    page = text(client.get(detail(item)))
    assert f'href="/projects/our/leads/{lead.pk}/"' in page and "Hidden Person" not in page
    page = text(client.get(LEADS, {"project": item.pk}))
    assert f"The leads of {item.reference}." in page and "Maria Rossi" in page


def test_a_visitors_message_is_escaped(as_user, applicant, officer):
    item = project(officer, enterprises=[applicant.organization])
    item = services.publication_run(project=item, actor=officer, name="publish")
    lead = forwarded_lead(officer, item, name="<b>Eve</b>", message="<img src=x onerror=alert(1)>")
    page = text(as_user(applicant).get(f"{LEADS}{lead.pk}/"))
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>Eve</b>" not in page


def test_no_lead_yet_says_what_comes(as_user, applicant):
    page = text(as_user(applicant).get(LEADS))
    assert "No lead yet." in page and "Leads (0)" in page


# Who sees what -----------------------------------------------------------------------------------------------


def test_another_enterprise_gets_404_everywhere(as_user, applicant, officer, other_applicant):
    item = project(applicant)
    client = as_user(applicant)
    client.post(f"{detail(item)}documents/", {"kind": "image", "file": png()})
    attachment = ProjectDocument.objects.get()
    published = project(officer, enterprises=[applicant.organization])
    published = services.publication_run(project=published, actor=officer, name="publish")
    lead = forwarded_lead(officer, published)
    other = as_user(other_applicant)
    assert other.get(detail(item)).status_code == 404
    assert other.get(f"{detail(item)}edit/").status_code == 404
    assert other.post(f"{detail(item)}edit/", FORM).status_code == 404
    assert other.post(f"{detail(item)}submit/").status_code == 404
    assert other.post(f"{detail(item)}documents/", {"kind": "image", "file": png()}).status_code == 404
    assert other.post(f"{detail(item)}documents/{attachment.pk}/remove/").status_code == 404
    assert other.get(f"{LEADS}{lead.pk}/").status_code == 404
    assert item.reference not in text(other.get(OUR)) and "Maria Rossi" not in text(other.get(LEADS))
    item.refresh_from_db()
    assert item.publication == Publication.DRAFT and ProjectDocument.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (OUR, NEW, "/projects/our/1/", "/projects/our/1/edit/", LEADS, "/projects/our/leads/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url
    response = client.post("/projects/our/1/submit/")
    assert response.status_code == 302 and "/login/" in response.url


def test_office_staff_are_sent_to_the_back_office(as_user, officer, manager, applicant):
    item = project(applicant)
    lead_project = services.publication_run(project=project(officer), actor=officer, name="publish")
    lead = interest(lead_project)
    client = as_user(officer)
    for url, target in [
        (OUR, reverse("admin:projects_cooperationproject_changelist")),
        (NEW, reverse("admin:projects_cooperationproject_add")),
        (detail(item), reverse("admin:projects_cooperationproject_change", args=[item.pk])),
        (f"{detail(item)}edit/", reverse("admin:projects_cooperationproject_change", args=[item.pk])),
        (LEADS, reverse("admin:projects_interest_changelist")),
        (f"{LEADS}{lead.pk}/", reverse("admin:projects_interest_change", args=[lead.pk])),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == target, url
    response = client.post(f"{detail(item)}submit/")
    assert response.url == reverse("admin:projects_cooperationproject_change", args=[item.pk])
    item.refresh_from_db()
    assert item.publication == Publication.DRAFT  # nothing ran
    assert as_user(manager).get("/projects/our/999999/").status_code == 404


def test_members_of_a_foreign_organisation_get_404(as_user):
    member = enterprise_user(OrganizationFactory(kind=OrganizationKind.FOREIGN))
    client = as_user(member)
    for url in (OUR, NEW, LEADS, "/projects/our/1/"):
        assert client.get(url).status_code == 404, url


# Queries -----------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_queries_do_not_grow_with_their_rows(
    as_user, applicant, officer, django_assert_max_num_queries
):
    published = services.publication_run(
        project=project(officer, enterprises=[applicant.organization]), actor=officer, name="publish"
    )
    for _ in range(2):
        project(applicant)
    for n in range(3):
        forwarded_lead(officer, published, email=f"lead{n}@example.com")
    client = as_user(applicant)
    few = {url: _queries(client, url) for url in (OUR, LEADS)}
    for _ in range(12):
        project(applicant)
    for n in range(12):
        forwarded_lead(officer, published, email=f"more{n}@example.com")
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert text(response).count("<tr data-") == 15, url
