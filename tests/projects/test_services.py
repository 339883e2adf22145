"""The services of cooperation projects: both lifecycles and their refusals, enterprise submissions,
interest and its forwarding, scoping."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.notifications.models import Notification
from projects import selectors
from projects.models import CooperationProject, Interest, InterestMessage
from projects.services import interest as interest_services
from projects.services import projects
from projects.workflow import InterestState, Publication, Stage

from .factories import PROJECT, industry, interest, project, published

pytestmark = pytest.mark.django_db


def test_an_officer_enters_a_lead_draft_owned_by_them(officer):
    item = project(officer)
    assert item.reference.startswith("HNCP-") and item.stage == Stage.LEAD
    assert item.publication == Publication.DRAFT and item.owner == officer
    assert "stuttgart" in item.search_text and "汽车制造" in item.search_text
    assert "schwaben" not in item.search_text  # the partner organisation is not public
    assert AuditEvent.objects.filter(action="cooperation_project.create", object_id=str(item.pk)).count() == 1


def test_the_pipeline_runs_to_completed_and_is_audited(officer):
    item = project(officer)
    for name, stage in [
        ("contact", Stage.CONTACTED),
        ("negotiate", Stage.NEGOTIATING),
        ("sign", Stage.SIGNED),
        ("implement", Stage.IMPLEMENTING),
        ("complete", Stage.COMPLETED),
    ]:
        item = projects.stage_run(project=item, actor=officer, name=name)
        assert item.stage == stage
    assert item.signed_on is not None
    actions = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert {"cooperation_project.sign", "cooperation_project.complete"} <= actions


def test_pipeline_refusals(officer, applicant, manager):
    item = project(officer, enterprises=[applicant.organization])
    with pytest.raises(StateConflict):
        projects.stage_run(project=item, actor=officer, name="sign")
    with pytest.raises(PermissionDenied):
        projects.stage_run(project=item, actor=applicant, name="contact")
    with pytest.raises(PermissionDenied):
        projects.stage_run(project=item, actor=manager, name="contact")
    with pytest.raises(ValidationError):
        projects.stage_run(project=item, actor=officer, name="drop")
    item = projects.stage_run(project=item, actor=officer, name="drop", comment="The partner withdrew.")
    assert item.stage == Stage.DROPPED
    assert projects.stage_run(project=item, actor=officer, name="revive").stage == Stage.LEAD


def test_next_step_is_kept_and_overdue_ones_are_found(officer):
    item = project(officer, next_step="Call the partner", next_step_due="2020-01-01")
    assert list(selectors.overdue_next_steps()) == [item]
    item = projects.stage_run(project=item, actor=officer, name="drop", comment="No answer.")
    assert not selectors.overdue_next_steps().exists()


def test_publication_needs_both_languages_and_an_officer(officer, applicant):
    item = project(officer, enterprises=[applicant.organization], title_en="", description_en="")
    with pytest.raises(RulesFailed) as refused:
        projects.publication_run(project=item, actor=officer, name="publish")
    assert refused.value.findings[0]["code"] == "public_text_missing"
    with pytest.raises(PermissionDenied):
        projects.publication_run(project=item, actor=applicant, name="publish")
    item = projects.project_update(
        project=item, actor=officer, data={"title_en": "EV parts", "description_en": "Parts."}
    )
    item = projects.publication_run(project=item, actor=officer, name="publish")
    assert item.publication == Publication.PUBLISHED and item.published_at is not None
    with pytest.raises(StateConflict):
        projects.publication_run(project=item, actor=officer, name="publish")
    item = projects.publication_run(project=item, actor=officer, name="archive")
    assert item.publication == Publication.ARCHIVED
    assert (
        projects.publication_run(project=item, actor=officer, name="republish").publication
        == Publication.PUBLISHED
    )


def test_an_enterprise_submits_its_project_for_review(applicant, officer, other_applicant):
    item = project(applicant, enterprises=[])
    assert list(item.enterprises.all()) == [applicant.organization]
    assert item.owner == officer and item.source == "enterprise"
    assert Notification.objects.filter(
        recipient=officer, key=f"cooperation-project:{item.pk}:submitted"
    ).exists()
    item = projects.project_update(project=item, actor=applicant, data={"partner_city": "München"})
    with pytest.raises(PermissionDenied):
        projects.project_update(project=item, actor=other_applicant, data={"partner_city": "Berlin"})
    with pytest.raises(PermissionDenied):
        projects.publication_run(project=item, actor=other_applicant, name="submit_for_review")
    item = projects.publication_run(project=item, actor=applicant, name="submit_for_review")
    assert item.publication == Publication.IN_REVIEW
    with pytest.raises(StateConflict):
        projects.project_update(project=item, actor=applicant, data={"partner_city": "Berlin"})
    with pytest.raises(ValidationError):
        projects.publication_run(project=item, actor=officer, name="return_to_draft")
    item = projects.publication_run(
        project=item, actor=officer, name="return_to_draft", comment="Add the amount."
    )
    assert item.publication == Publication.DRAFT
    assert Notification.objects.filter(
        recipient=applicant, link__contains=f"/projects/our/{item.pk}/"
    ).exists()


def test_an_enterprise_cannot_set_what_the_office_keeps(applicant, other_organization):
    item = project(applicant, enterprises=[])
    projects.project_update(
        project=item, actor=applicant, data={"enterprises": [other_organization.pk], "next_step": "x"}
    )
    item.refresh_from_db()
    assert list(item.enterprises.all()) == [applicant.organization] and item.next_step == ""


def test_leaders_and_managers_do_not_enter_projects(leader):
    with pytest.raises(PermissionDenied):
        projects.project_create(actor=leader, data=PROJECT)


def test_bad_data_stores_nothing(officer):
    for overrides, field in [
        ({"title_zh": "", "title_en": ""}, "title_zh"),
        ({"partner_country": "CN"}, "partner_country"),
        ({"currency": ""}, "currency"),
        ({"mode": "barter"}, "mode"),
        ({"industries": [999999]}, "industries"),
        ({"industries": ["x"]}, "industries"),
    ]:
        with pytest.raises(ValidationError) as refused:
            projects.project_create(actor=officer, data={**PROJECT, **overrides})
        assert field in refused.value.message_dict, overrides
    assert not CooperationProject.objects.exists()


def test_interest_in_a_published_project_is_acknowledged_and_reaches_the_owner(
    officer, applicant, django_capture_on_commit_callbacks
):
    item = published(officer, enterprises=[applicant.organization])
    with django_capture_on_commit_callbacks(execute=True):
        lead = interest(item)
    assert lead.state == InterestState.RECEIVED
    message = InterestMessage.objects.get(interest=lead)
    assert message.sent_at is not None and item.reference in message.subject
    assert [m.to for m in mail.outbox if m.to == ["maria.rossi@example.it"]] == [["maria.rossi@example.it"]]
    assert Notification.objects.filter(recipient=officer, key=f"project-interest:{lead.pk}:received").exists()
    assert not selectors.interest_list_for(applicant).exists()
    lead = interest_services.interest_run(interest=lead, actor=officer, name="forward")
    assert lead.state == InterestState.FORWARDED and lead.forwarded_by == officer
    assert list(selectors.interest_list_for(applicant)) == [lead]
    assert Notification.objects.filter(
        recipient=applicant, key=f"project-interest:{lead.pk}:forward"
    ).exists()


def test_interest_refusals(officer, applicant, other_applicant):
    draft = project(officer, enterprises=[applicant.organization])
    with pytest.raises(StateConflict):
        interest(draft)
    item = published(officer)
    with pytest.raises(ValidationError) as refused:
        interest(item, email="not-an-address", message="x" * 3001)
    assert {"email", "message"} <= set(refused.value.message_dict)
    lead = interest(item)
    with pytest.raises(RulesFailed):  # no enterprise involved to forward to
        interest_services.interest_run(interest=lead, actor=officer, name="forward")
    with pytest.raises(PermissionDenied):
        interest_services.interest_run(interest=lead, actor=applicant, name="close")
    lead = interest_services.interest_run(interest=lead, actor=officer, name="close", comment="Advertising.")
    assert lead.state == InterestState.CLOSED
    assert Interest.objects.count() == 1 and not selectors.interest_list_for(other_applicant).exists()


def test_scoping_of_projects(officer, applicant, other_applicant, manager):
    mine = project(officer, enterprises=[applicant.organization])
    project(officer, enterprises=[other_applicant.organization])
    assert list(selectors.project_list_for(applicant)) == [mine]
    assert selectors.project_list_for(manager).count() == 2


@pytest.mark.parametrize(
    "term",
    ["新能源", "汽车", "electric drive", "ELECTRIC", "drive elec", "stuttg", "joint venture", "automobiles"],
)
def test_the_catalogue_finds_published_projects_by_chinese_and_english_words(officer, term):
    item = published(officer)
    project(officer)  # a draft with the same words is never found
    published(
        officer,
        title_zh="跨境电商物流园",
        title_en="Cross-border logistics park",
        description_zh="物流园区招商。",
        description_en="A logistics park seeks investors.",
        partner_country="SG",
        partner_city="Singapore",
        industries=("logistics",),
    )
    assert [p.pk for p in selectors.catalogue(term=term)] == [item.pk]


def test_catalogue_filters_and_related_projects(officer):
    first = published(officer)
    second = published(officer, partner_country="FR", partner_city="Lyon")
    third = published(officer, industries=("logistics",), partner_country="SG", channel="overseas_chinese")
    assert [p.pk for p in selectors.catalogue(channel="overseas_chinese")] == [third.pk]
    assert {p.pk for p in selectors.catalogue(industry="automobiles")} == {first.pk, second.pk}
    assert [p.pk for p in selectors.catalogue(country="fr")] == [second.pk]
    assert [p.pk for p in selectors.related_projects(first)] == [second.pk]


def test_renaming_an_industry_keeps_the_search_current(officer):
    from projects.services import taxonomy

    item = published(officer)
    taxonomy.industry_save(
        actor=officer, industry=industry("automobiles"), data={"name_en": "Motor vehicles"}
    )
    assert [p.pk for p in selectors.catalogue(term="motor vehicles")] == [item.pk]


def test_dates_given_as_text_are_read_or_refused(officer):
    item = project(officer, next_step="Call", next_step_due="2030-05-04")
    assert str(item.next_step_due) == "2030-05-04"
    with pytest.raises(ValidationError) as refused:
        projects.project_update(project=item, actor=officer, data={"signed_on": "4 May"})
    assert "signed_on" in refused.value.message_dict
