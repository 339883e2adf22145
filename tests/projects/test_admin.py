"""The back office of cooperation projects: the pipeline (filters, searches, presets, the board), a project's
page (both state machines' buttons and their refusals, the owner, notes, documents, expressions of
interest), an officer entering and changing a project, expressions of interest forwarded or closed,
development achievements written and published, the industries edited through the service, what leaders
and managers may not do, who cannot reach the back office at all, and lists whose queries do not grow with
their rows."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from projects.models import Achievement, CooperationProject, Industry, Interest, ProjectDocument, ProjectNote
from projects.services import achievements as achievement_services
from projects.services import interest as interest_services
from projects.services import projects as services
from projects.services.interest import CONDITION_ERRORS
from projects.workflow import InterestState, Publication, Stage
from tests.factories import OrganizationFactory, office_user

from .factories import PROJECT, industry, interest, project, published

pytestmark = pytest.mark.django_db

PROJECTS = reverse("admin:projects_cooperationproject_changelist")
PROJECT_ADD = reverse("admin:projects_cooperationproject_add")
INTERESTS = reverse("admin:projects_interest_changelist")
ACHIEVEMENTS = reverse("admin:projects_achievement_changelist")
ACHIEVEMENT_ADD = reverse("admin:projects_achievement_add")
INDUSTRIES = reverse("admin:projects_industry_changelist")
ENTERPRISES = reverse("admin:projects_cooperationproject_enterprises")
LISTS = [PROJECTS, INTERESTS, ACHIEVEMENTS, INDUSTRIES]


def url(obj, name="change"):
    return reverse(f"admin:projects_{obj._meta.model_name}_{name}", args=[obj.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def messages_of(page) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in page.context["messages"]]


def png(name="plan.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def buttons(page, key) -> list[str]:
    group = page.context[f"{key}_group"] if f"{key}_group" in page.context else page.context["group"]
    return [button["name"] for button in group["buttons"]]


def audited(obj, action) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def form_data(**changes) -> dict:
    """The project form as posted (industries by id)."""
    data = {
        **PROJECT,
        "industries": [str(industry("automobiles").pk)],
        "enterprises": [],
        "owner": "",
        "next_step": "",
        "next_step_due": "",
        "signed_on": "",
        "friendship_city": "",
        "contact_phone": "",
    }
    data.update(changes)
    return data


# The pipeline -----------------------------------------------------------------------------------------------


def test_the_pipeline_opens_on_open_projects_with_overdue_steps_new_interest_and_filters(
    client, officer, organization
):
    today = timezone.localdate()
    late = project(
        officer,
        next_step="Call Schwaben about the term sheet",
        next_step_due=(today - timedelta(days=3)).isoformat(),
        enterprises=[organization],
    )
    late = services.publication_run(project=late, actor=officer, name="publish")
    interest(late)
    fresh = project(
        officer,
        title_zh="洛阳机器人技术合作",
        title_en="Robot technology cooperation in Luoyang",
        channel="overseas_chinese",
        ftz_area="luoyang",
        mode="technology",
        partner_country="SG",
        industries=("robots",),
        next_step_due=(today + timedelta(days=5)).isoformat(),
    )
    dropped = services.stage_run(
        project=project(officer, partner_country="JP"), actor=officer, name="drop", comment="No reply."
    )
    client.force_login(officer)
    page = client.get(PROJECTS)
    assert rows(page) == [late, fresh]  # the earliest next step first; the dropped project is not open
    html = page.content.decode()
    assert html.count('data-overdue="3"') == 1 and "data-new-interest" in html
    assert "德国" in html and "Schwaben Antriebstechnik GmbH" in html
    assert rows(client.get(PROJECTS, {"stage": "all"})) == [late, fresh, dropped]
    assert rows(client.get(PROJECTS, {"stage": "dropped"})) == [dropped]
    assert rows(client.get(PROJECTS, {"overdue": "yes"})) == [late]
    assert rows(client.get(PROJECTS, {"publication": "published"})) == [late]
    assert rows(client.get(PROJECTS, {"channel": "overseas_chinese"})) == [fresh]
    assert rows(client.get(PROJECTS, {"area": "luoyang"})) == [fresh]
    assert rows(client.get(PROJECTS, {"industry": "robots"})) == [fresh]
    assert rows(client.get(PROJECTS, {"mode": "technology"})) == [fresh]
    assert rows(client.get(PROJECTS, {"owner": "me"})) == [late, fresh]
    assert rows(client.get(PROJECTS, {"owner": "nobody"})) == []
    # The partner country looks through every stage; the filter lists the countries in use by name.
    assert rows(client.get(PROJECTS, {"partner_country": "JP"})) == [dropped]
    assert "日本" in client.get(PROJECTS).content.decode()


def test_the_search_finds_a_reference_words_and_an_enterprise_once(client, officer, organization):
    second = OrganizationFactory(name_zh="郑州测试物流有限公司")
    both = project(officer, enterprises=[organization, second])
    other = project(
        officer, title_zh="开封文化旅游合作", title_en="Kaifeng cultural tourism", partner_city="Kyoto"
    )
    closed = services.stage_run(project=project(officer), actor=officer, name="drop", comment="Gone.")
    client.force_login(officer)
    assert rows(client.get(PROJECTS, {"q": other.reference})) == [other]
    assert rows(client.get(PROJECTS, {"q": "文化旅游"})) == [other]
    assert rows(client.get(PROJECTS, {"q": "kyoto"})) == [other]
    # Two enterprises matching "郑州测试" give one row, not two.
    assert rows(client.get(PROJECTS, {"q": "郑州测试"})) == [both]
    # A search looks through every stage.
    assert rows(client.get(PROJECTS, {"q": closed.reference})) == [closed]
    assert rows(client.get(PROJECTS, {"q": "nothing-like-this"})) == []


def test_the_publication_queue_shows_projects_in_review_the_longest_waiting_first(client, officer, applicant):
    first = project(officer, enterprises=[applicant.organization])
    second = project(officer)
    draft = project(officer)
    services.publication_run(project=second, actor=officer, name="submit_for_review")
    services.publication_run(project=first, actor=applicant, name="submit_for_review")
    # The earlier submission, changed since: the submission's time counts, not the change's.
    services.project_update(project=second, actor=officer, data={"partner_city": "Ulm"})
    client.force_login(officer)
    page = client.get(PROJECTS)
    presets = {preset["key"]: preset for preset in page.context["presets"]}
    assert presets["open"]["current"] and not presets["publication"]["current"]
    queue = client.get(presets["publication"]["url"])
    assert rows(queue) == [second, first] and draft not in rows(queue)
    assert {p["key"]: p for p in queue.context["presets"]}["publication"]["current"]
    overdue = {p["key"]: p for p in page.context["presets"]}["overdue"]["url"]
    assert rows(client.get(overdue)) == []


def test_the_board_shows_the_open_stages_with_their_counts(client, officer):
    lead = published(officer, next_step_due=(timezone.localdate() - timedelta(days=2)).isoformat())
    interest(lead)
    interest(lead, email="second@example.com")  # a project with two leads counts once
    contacted = services.stage_run(project=project(officer), actor=officer, name="contact")
    services.stage_run(project=project(officer), actor=officer, name="drop", comment="No.")
    client.force_login(officer)
    page = client.get(PROJECTS, {"view": "board"})
    assert page.status_code == 200
    columns = {column["stage"]: column for column in page.context["columns"]}
    assert list(columns) == ["lead", "contacted", "negotiating", "signed", "implementing"]
    assert columns["lead"]["count"] == 1 and columns["lead"]["cards"] == [lead]
    assert columns["contacted"]["cards"] == [contacted] and columns["negotiating"]["count"] == 0
    assert 'data-overdue="2"' in page.content.decode()


def test_the_export_links_show_only_once_the_export_exists(client, officer):
    client.force_login(officer)
    page = client.get(PROJECTS)
    try:
        expected = [reverse("projects:export_csv"), reverse("projects:export_xlsx")]
    except NoReverseMatch:  # the export is another module's, and may not be there yet
        expected = []
    assert [link for link, _format in page.context["exports"]] == expected


# A project's page -------------------------------------------------------------------------------------------


def test_each_stage_transition_runs_through_the_admin_and_is_audited(client, officer):
    item = project(officer)
    client.force_login(officer)
    transition = url(item, "transition")
    assert buttons(client.get(url(item)), "stage") == ["contact", "drop"]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    for name, stage in [
        ("contact", Stage.CONTACTED),
        ("negotiate", Stage.NEGOTIATING),
        ("sign", Stage.SIGNED),
        ("implement", Stage.IMPLEMENTING),
        ("complete", Stage.COMPLETED),
    ]:
        page = client.post(
            transition,
            {"transition": name, "stage-next_step": f"After {name}", "stage-next_step_due": due},
            follow=True,
        )
        assert messages_of(page)[0][0] == "success", messages_of(page)
        item.refresh_from_db()
        assert item.stage == stage and audited(item, f"cooperation_project.{name}")
        if name != "complete":
            assert item.next_step == f"After {name}" and item.next_step_due.isoformat() == due
    assert item.signed_on is not None and item.next_step == ""  # completing clears the next step
    page = client.get(url(item))
    assert buttons(page, "stage") == []
    events = [event.action for event in page.context["events"]]
    assert events[0] == "cooperation_project.create" and events[-1] == "cooperation_project.complete"
    assert page.context["events"][-1].to_label == Stage.COMPLETED.label


def test_dropping_needs_a_reason_and_taking_up_again_brings_the_lead_back(client, officer):
    item = project(officer)
    client.force_login(officer)
    page = client.post(url(item, "transition"), {"transition": "drop"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["error"]
    item.refresh_from_db()
    assert item.stage == Stage.LEAD
    drop = next(b for b in client.get(url(item)).context["stage_group"]["buttons"] if b["name"] == "drop")
    assert drop["comment"] == "required" and drop["confirm"]  # asks for a reason and before it posts
    client.post(url(item, "transition"), {"transition": "drop", "comment": "The partner withdrew."})
    item.refresh_from_db()
    assert item.stage == Stage.DROPPED
    assert buttons(client.get(url(item)), "stage") == ["revive"]
    client.post(url(item, "transition"), {"transition": "revive"})
    item.refresh_from_db()
    assert item.stage == Stage.LEAD


def test_publishing_without_english_is_refused_with_the_message(client, officer):
    item = project(officer, title_en="", description_en="")
    client.force_login(officer)
    page = client.get(url(item))
    # The button is there; the page says beforehand what publishing needs.
    assert "publish" in buttons(page, "publication")
    note = page.context["publication_group"]["note"]
    assert str(CooperationProject._meta.get_field("title_en").verbose_name) in note
    page = client.post(url(item, "transition"), {"transition": "publish"}, follow=True)
    (level, text), *_rest = messages_of(page)
    assert level == "error" and str(services.PUBLIC_TEXT_ERROR[1]) in text
    item.refresh_from_db()
    assert item.publication == Publication.DRAFT
    assert not audited(item, "cooperation_project.publish")


def test_publishing_then_archiving_and_view_on_site_only_when_published(client, officer):
    item = project(officer)
    client.force_login(officer)
    page = client.get(url(item))
    assert page.context["has_absolute_url"] is False and page.context["public_url"] == ""
    page = client.post(url(item, "transition"), {"transition": "publish"}, follow=True)
    assert messages_of(page)[0][0] == "success"
    item.refresh_from_db()
    assert item.publication == Publication.PUBLISHED and audited(item, "cooperation_project.publish")
    assert page.context["public_url"] == item.get_absolute_url()
    assert page.context["absolute_url"] == item.get_absolute_url()
    assert buttons(page, "publication") == ["archive"]
    client.post(url(item, "transition"), {"transition": "archive"})
    item.refresh_from_db()
    assert item.publication == Publication.ARCHIVED
    assert client.get(url(item)).context["has_absolute_url"] is False


def test_returning_to_draft_needs_a_reason(client, officer):
    item = services.publication_run(project=project(officer), actor=officer, name="submit_for_review")
    client.force_login(officer)
    assert buttons(client.get(url(item)), "publication") == ["publish", "return_to_draft"]
    page = client.post(
        url(item, "transition"), {"transition": "return_to_draft", "comment": "  "}, follow=True
    )
    assert [level for level, _text in messages_of(page)] == ["error"]
    item.refresh_from_db()
    assert item.publication == Publication.IN_REVIEW
    client.post(url(item, "transition"), {"transition": "return_to_draft", "comment": "Add the amount."})
    item.refresh_from_db()
    assert item.publication == Publication.DRAFT
    event = AuditEvent.objects.get(action="cooperation_project.return_to_draft", object_id=str(item.pk))
    assert event.comment == "Add the amount."


def test_an_officer_enters_a_project_and_changes_it_through_the_services(client, officer, organization):
    client.force_login(officer)
    assert client.get(PROJECTS).context["add_url"] == PROJECT_ADD
    page = client.get(PROJECT_ADD)
    assert page.status_code == 200 and page.context["form"].initial["owner"] == officer.pk
    # The service's own refusals go beside the fields; nothing is stored.
    page = client.post(PROJECT_ADD, form_data(currency=""))
    assert page.status_code == 200 and "currency" in page.context["form"].errors
    assert not CooperationProject.objects.exists()
    answer = client.post(
        PROJECT_ADD,
        form_data(
            channel="hong_kong_macao",
            partner_country="HK",
            enterprises=[str(organization.pk)],
            description_zh="<script>alert(1)</script>香港合作",
        ),
    )
    item = CooperationProject.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url(item)
    assert item.owner == officer and item.partner_country.code == "HK"
    assert list(item.enterprises.all()) == [organization] and audited(item, "cooperation_project.create")
    html = client.get(url(item)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    edit = url(item, "edit")
    page = client.get(edit)
    assert page.status_code == 200 and page.context["form"]["title_zh"].value() == PROJECT["title_zh"]
    changes = form_data(
        channel="hong_kong_macao",
        partner_country="HK",
        enterprises=[str(organization.pk)],
        partner_city="Kowloon",
        next_step="Visit",
        next_step_due="2031-01-05",
        owner=str(officer.pk),
    )
    answer = client.post(edit, changes)
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    item.refresh_from_db()
    assert item.partner_city == "Kowloon" and item.next_step == "Visit"
    event = AuditEvent.objects.get(action="cooperation_project.update", object_id=str(item.pk))
    # Only what changed is given to the service (the description typed at first is replaced too).
    assert set(event.data["fields"]) == {"partner_city", "next_step", "next_step_due", "description_zh"}


def test_the_enterprise_autocomplete_offers_enterprises_of_the_zone_only(client, officer, organization):
    OrganizationFactory(name_zh="郑州测试外国代表处", kind="foreign")
    client.force_login(officer)
    answer = client.get(ENTERPRISES, {"term": "郑州测试"})
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [str(organization.pk)]


def test_the_achievements_autocomplete_finds_projects(client, officer):
    item = project(officer)
    client.force_login(officer)
    answer = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "achievement",
            "field_name": "projects",
            "term": item.reference,
        },
    )
    assert answer.status_code == 200 and [row["id"] for row in answer.json()["results"]] == [str(item.pk)]


def test_notes_owner_and_take_over(client, officer):
    other = office_user(Role.OFFICER)
    item = project(officer)
    client.force_login(officer)
    page = client.post(url(item, "note"), {"note-text": "Met them at the fair."}, follow=True)
    assert messages_of(page)[0][0] == "success"
    assert ProjectNote.objects.get(project=item).text == "Met them at the fair."
    page = client.post(url(item, "note"), {"note-text": ""}, follow=True)
    assert messages_of(page)[0][0] == "error"
    client.post(url(item, "assign"), {"owner": str(other.pk)})
    item.refresh_from_db()
    assert item.owner == other and audited(item, "cooperation_project.assign")
    client.post(PROJECTS, {"action": "take_over", "_selected_action": [str(item.pk)]})
    item.refresh_from_db()
    assert item.owner == officer


def test_documents_are_attached_shown_to_the_public_hidden_and_removed(client, officer):
    item = project(officer)
    client.force_login(officer)
    page = client.post(
        url(item, "document"),
        {"document-kind": "image", "document-file": png(), "document-public": "on"},
        follow=True,
    )
    assert messages_of(page)[0][0] == "success"
    attachment = ProjectDocument.objects.get(application=item)
    assert attachment.public and attachment.kind == "image" and audited(item, "cooperation_project.attach")
    assert 'data-public="yes"' in page.content.decode()
    client.post(url(item, "documents"), {"attachment": attachment.pk, "action": "hide"})
    attachment.refresh_from_db()
    assert not attachment.public
    client.post(url(item, "document"), {"document-kind": "brochure", "document-file": png("b.png")})
    assert ProjectDocument.objects.get(application=item, kind="brochure").public is False
    # A file that is not what it says is refused with a message.
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    page = client.post(url(item, "document"), {"document-kind": "other", "document-file": bad}, follow=True)
    assert (
        messages_of(page)[-1][0] == "error" and ProjectDocument.objects.filter(application=item).count() == 2
    )
    client.post(url(item, "documents"), {"attachment": attachment.pk, "action": "remove"})
    assert not ProjectDocument.objects.filter(pk=attachment.pk).exists()
    assert audited(item, "cooperation_project.detach")


# Expressions of interest ------------------------------------------------------------------------------------


def test_forwarding_needs_an_enterprise_and_closing_a_reason(client, officer, organization):
    item = published(officer)
    lead = interest(item, message="<b>We are keen</b>")
    client.force_login(officer)
    page = client.get(url(lead))
    assert buttons(page, "state") == ["forward", "close"] and page.context["group"]["note"]
    assert "<b>We are keen</b>" not in page.content.decode()
    assert page.context["has_absolute_url"] is False  # no public page
    page = client.post(url(lead, "transition"), {"transition": "forward"}, follow=True)
    (level, text), *_rest = messages_of(page)
    assert level == "error" and str(CONDITION_ERRORS["has_enterprise"][1]) in text
    lead.refresh_from_db()
    assert lead.state == InterestState.RECEIVED
    page = client.post(url(lead, "transition"), {"transition": "close"}, follow=True)
    assert messages_of(page)[0][0] == "error"
    lead.refresh_from_db()
    assert lead.state == InterestState.RECEIVED
    services.project_update(project=item, actor=officer, data={"enterprises": [organization.pk]})
    page = client.post(
        url(lead, "transition"), {"transition": "forward", "comment": "A good match."}, follow=True
    )
    assert messages_of(page)[0][0] == "success"
    lead.refresh_from_db()
    assert lead.state == InterestState.FORWARDED and lead.forwarded_by == officer
    assert audited(lead, "project_interest.forward")
    other = interest(item, name="Kenji Sato", email="kenji@example.jp", country="JP")
    client.post(url(other, "transition"), {"transition": "close", "comment": "Spam."})
    other.refresh_from_db()
    assert other.state == InterestState.CLOSED


def test_the_interest_queue_lists_received_ones_first_and_has_no_add(client, officer, organization):
    item = published(officer, enterprises=[organization])
    first = interest(item)
    second = interest(
        item, name="Kenji Sato", organisation="Sato Shoji", email="kenji@example.jp", country="JP"
    )
    interest_services.interest_run(interest=second, actor=officer, name="forward")
    third = interest(item, name="Ana Lima", organisation="Lima Ltda", email="ana@example.br", country="BR")
    client.force_login(officer)
    assert rows(client.get(INTERESTS)) == [third, first, second]
    assert rows(client.get(INTERESTS, {"state": "forwarded"})) == [second]
    assert rows(client.get(INTERESTS, {"country": "BR"})) == [third]
    assert rows(client.get(INTERESTS, {"q": "sato shoji"})) == [second]
    assert rows(client.get(INTERESTS, {"q": "ana@example.br"})) == [third]
    assert rows(client.get(INTERESTS, {"channel": "friendship_city"})) == []
    assert rows(client.get(INTERESTS, {"channel": "foreign_affairs"})) == [third, first, second]
    # The projects' list links each project's interest here.
    other = interest(published(officer), email="x@example.com")
    assert rows(client.get(INTERESTS, {"project__id__exact": item.pk})) == [third, first, second]
    received = {"project__id__exact": other.project_id, "state": "received"}
    assert rows(client.get(INTERESTS, received)) == [other]
    assert client.get(reverse("admin:projects_interest_add")).status_code == 403


def test_an_interest_is_forwarded_or_closed_from_the_projects_page(client, officer, organization):
    item = published(officer, enterprises=[organization])
    lead, spam = interest(item), interest(item, email="spam@example.com")
    client.force_login(officer)
    page = client.get(url(item))
    assert page.context["interest_buttons"] and len(page.context["interests"]) == 2
    client.post(url(item, "interest"), {"interest": lead.pk, "transition": "forward"})
    page = client.post(url(item, "interest"), {"interest": spam.pk, "transition": "close"}, follow=True)
    assert messages_of(page)[-1][0] == "error"  # a reason is required
    client.post(url(item, "interest"), {"interest": spam.pk, "transition": "close", "comment": "Spam."})
    assert dict(Interest.objects.values_list("pk", "state")) == {
        lead.pk: InterestState.FORWARDED,
        spam.pk: InterestState.CLOSED,
    }


# Development achievements ----------------------------------------------------------------------------------


ACHIEVEMENT = {
    "title_zh": "中德合资电驱动生产线投产",
    "title_en": "Sino-German electric drive line starts production",
    "description_zh": "合资项目首条生产线在郑州片区投产。",
    "description_en": "The joint venture's first line started production in the Zhengzhou area.",
    "channel": "foreign_affairs",
    "ftz_area": "zhengzhou",
}


def test_an_achievement_is_written_illustrated_and_published(client, officer):
    item = published(officer)
    client.force_login(officer)
    page = client.get(ACHIEVEMENT_ADD, {"project": item.pk})
    assert page.context["form"].initial["projects"] == [item.pk]
    data = {**ACHIEVEMENT, "happened_on": timezone.localdate().isoformat(), "projects": [str(item.pk)]}
    page = client.post(ACHIEVEMENT_ADD, {**data, "happened_on": "2999-01-01"})
    assert page.status_code == 200 and "happened_on" in page.context["form"].errors
    answer = client.post(ACHIEVEMENT_ADD, data)
    achievement = Achievement.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url(achievement)
    assert list(achievement.projects.all()) == [item] and audited(achievement, "achievement.create")
    page = client.post(url(achievement, "image"), {"image-file": png()}, follow=True)
    assert messages_of(page)[0][0] == "success" and achievement.attachments.count() == 1
    page = client.get(url(achievement))
    assert page.context["has_absolute_url"] is False
    assert [b["name"] for b in page.context["group"]["buttons"]] == ["publish", "submit_for_review"]
    page = client.post(url(achievement, "transition"), {"transition": "publish"}, follow=True)
    assert messages_of(page)[0][0] == "success"
    achievement.refresh_from_db()
    assert achievement.publication == Publication.PUBLISHED and audited(achievement, "achievement.publish")
    assert page.context["absolute_url"] == achievement.get_absolute_url()
    assert rows(client.get(ACHIEVEMENTS, {"publication": "published"})) == [achievement]
    assert rows(client.get(ACHIEVEMENTS, {"q": "电驱动"})) == [achievement]
    image = achievement.attachments.get()
    client.post(url(achievement, "images"), {"image": image.pk})
    assert not achievement.attachments.exists()
    answer = client.post(url(achievement, "edit"), {**data, "title_en": "The line runs"})
    assert answer.status_code == 302
    achievement.refresh_from_db()
    assert achievement.title_en == "The line runs" and audited(achievement, "achievement.update")


def test_an_achievement_without_english_is_not_published(client, officer):
    achievement = achievement_services.achievement_create(
        actor=officer, data={**ACHIEVEMENT, "title_en": "", "description_en": ""}
    )
    client.force_login(officer)
    assert client.get(url(achievement)).context["group"]["note"]
    page = client.post(url(achievement, "transition"), {"transition": "publish"}, follow=True)
    assert messages_of(page)[0][0] == "error"
    achievement.refresh_from_db()
    assert achievement.publication == Publication.DRAFT


# Industries ------------------------------------------------------------------------------------------------


def test_industries_are_edited_through_the_service_and_audited(client, officer):
    robots = industry("robots")
    project(officer, industries=("robots",))
    client.force_login(officer)
    page = client.get(INDUSTRIES)
    listed = {row.code: row for row in rows(page)}
    assert listed["robots"].projects_total == 1 and listed["automobiles"].projects_total == 0
    data = {
        "name_zh": "工业机器人",
        "name_en": "Industrial robots",
        "area": "luoyang",
        "priority": "on",
        "active": "on",
        "order": "5",
    }
    answer = client.post(url(robots), data)
    assert answer.status_code == 302
    robots.refresh_from_db()
    assert robots.name_zh == "工业机器人" and robots.priority
    event = AuditEvent.objects.get(action="industry.update", object_id=str(robots.pk))
    assert event.actor == officer and event.data["name_en"] == "Industrial robots"
    # Renaming refreshes the catalogue's search of the projects filed under it.
    assert "工业机器人" in CooperationProject.objects.get().search_text
    answer = client.post(
        reverse("admin:projects_industry_add"),
        {"code": "hydrogen", "name_zh": "氢能", "name_en": "Hydrogen energy", "area": "", "order": "50"},
    )
    assert answer.status_code == 302 and audited(Industry.objects.get(code="hydrogen"), "industry.create")
    assert client.get(url(robots, "delete")).status_code == 403


def test_industries_changed_in_the_list_go_through_the_service(client, officer):
    client.force_login(officer)
    page = client.get(INDUSTRIES)
    formset = page.context["cl"].formset
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    robots = industry("robots")
    for index, form in enumerate(formset.forms):
        row = form.instance
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-order"] = str(row.order)
        if row.active and row.pk != robots.pk:
            data[f"form-{index}-active"] = "on"
        if row.priority:
            data[f"form-{index}-priority"] = "on"
    data["_save"] = "Save"
    answer = client.post(INDUSTRIES, data)
    assert answer.status_code == 302, answer.context["cl"].formset.errors if answer.context else answer
    robots.refresh_from_db()
    assert not robots.active
    assert AuditEvent.objects.filter(action="industry.update").count() == 1
    assert audited(robots, "industry.update")


# Who may do what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "manager"])
def test_leaders_and_managers_read_every_page_but_act_on_none(client, officer, organization, role, request):
    reader = request.getfixturevalue(role)
    item = published(officer, enterprises=[organization])
    lead = interest(item)
    other = project(officer)
    achievement = achievement_services.achievement_create(actor=officer, data=ACHIEVEMENT)
    client.force_login(reader)
    for page_url in [*LISTS, url(item), url(lead), url(achievement), url(industry("robots"))]:
        assert client.get(page_url).status_code == 200, page_url
    page = client.get(url(other))
    assert page.context["stage_group"]["buttons"] == [] and page.context["publication_group"]["buttons"] == []
    assert page.context["note_form"] is None and page.context["document_form"] is None
    assert page.context["edit_url"] == "" and page.context["officers"] is None
    assert client.get(url(lead)).context["group"]["buttons"] == []
    assert client.get(url(achievement)).context["group"]["buttons"] == []
    assert client.get(PROJECTS).context["add_url"] == "" and client.get(ACHIEVEMENTS).context["add_url"] == ""
    for refused in (
        client.get(PROJECT_ADD),
        client.post(PROJECT_ADD, form_data()),
        client.get(url(other, "edit")),
        client.post(url(other, "transition"), {"transition": "contact"}),
        client.post(url(other, "note"), {"note-text": "Hello"}),
        client.post(url(other, "assign"), {"owner": "me"}),
        client.post(url(lead, "transition"), {"transition": "forward"}),
        client.post(url(item, "interest"), {"interest": lead.pk, "transition": "forward"}),
        client.get(ACHIEVEMENT_ADD),
        client.post(url(achievement, "transition"), {"transition": "publish"}),
        client.get(ENTERPRISES, {"term": "郑州"}),
    ):
        assert refused.status_code == 403
    # The list's action and the industries' list save nothing either.
    client.post(PROJECTS, {"action": "take_over", "_selected_action": [str(other.pk)]})
    client.post(url(industry("robots")), {"name_zh": "X", "name_en": "X", "order": "1"})
    other.refresh_from_db()
    lead.refresh_from_db()
    achievement.refresh_from_db()
    assert other.stage == Stage.LEAD and other.owner == officer and not other.notes.exists()
    assert lead.state == InterestState.RECEIVED and achievement.publication == Publication.DRAFT
    assert industry("robots").name_zh == "机器人"
    assert CooperationProject.objects.count() == 2


def test_enterprise_users_cannot_reach_the_back_office(client, officer, applicant):
    item = project(officer, enterprises=[applicant.organization])
    lead = interest(published(officer, enterprises=[applicant.organization]))
    client.force_login(applicant)
    for page_url in [*LISTS, url(item), url(lead), PROJECT_ADD, url(item, "edit"), ENTERPRISES]:
        answer = client.get(page_url)
        assert answer.status_code == 302 and reverse("admin:login") in answer["Location"], page_url
    client.post(url(item, "transition"), {"transition": "contact"})
    item.refresh_from_db()
    assert item.stage == Stage.LEAD


# Queries --------------------------------------------------------------------------------------------------


def _queries(client, page_url) -> int:
    client.get(page_url)  # warm caches (sessions, content types, the country names)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def _some_projects(officer, organization, start: int, count: int) -> None:
    countries = ["DE", "FR", "JP", "KR", "SG", "US", "IT"]
    for n in range(start, start + count):
        item = project(
            officer,
            enterprises=[organization],
            industries=("automobiles", "robots"),
            partner_country=countries[n % len(countries)],
            next_step="Call",
            next_step_due=(timezone.localdate() - timedelta(days=n % 3)).isoformat(),
        )
        if n % 2:
            services.publication_run(project=item, actor=officer, name="submit_for_review")
            continue
        item = services.publication_run(project=item, actor=officer, name="publish")
        interest(item, email=f"visitor{n}@example.com")
        achievement_services.achievement_create(actor=officer, data={**ACHIEVEMENT, "projects": [item.pk]})


def test_the_lists_keep_their_queries_flat(client, officer, organization, django_assert_max_num_queries):
    _some_projects(officer, organization, 0, 3)
    services.publication_run(
        project=CooperationProject.objects.filter(publication="published").first(),
        actor=officer,
        name="archive",
    )
    client.force_login(officer)
    pages = [*LISTS, f"{PROJECTS}?publication=in_review", f"{PROJECTS}?view=board", f"{PROJECTS}?q=Sino"]
    few = {page_url: _queries(client, page_url) for page_url in pages}
    _some_projects(officer, organization, 3, 12)
    assert CooperationProject.objects.count() == 15
    for page_url, count in few.items():
        with django_assert_max_num_queries(count):
            page = client.get(page_url)
        if page.context.get("cl") is not None and page_url != INDUSTRIES:
            assert len(page.context["cl"].result_list) > 3, page_url
