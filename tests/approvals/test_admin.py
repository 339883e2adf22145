"""The back office of travel applications: the officers' queue, the change page and its buttons, the
leaders' sign-off queue, substitutions and the office's configuration."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import ItineraryLeg, RuleSetting, ServiceLevel, TravelApplication
from approvals.workflow import State
from foreign_affairs.accounts.models import Substitution
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, PersonFactory, office_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:approvals_travelapplication_changelist")
SIGNOFF_QUEUE = reverse("admin:approvals_signoffqueue_changelist")


def change_url(application, model="travelapplication"):
    return reverse(f"admin:approvals_{model}_change", args=[application.pk])


def transition_url(application, model="travelapplication"):
    return reverse(f"admin:approvals_{model}_transition", args=[application.pk])


@pytest.fixture
def as_user(client):
    """Sign `user` in to the back office, in English (the portal's default is Chinese)."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def listed(response) -> list[int]:
    return [application.pk for application in response.context["cl"].result_list]


def flashed(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def today():
    return timezone.localdate()


# The queue --------------------------------------------------------------------------------------------


def test_queue_defaults_to_in_review_nearest_deadline_first(as_user, officer):
    later = ApplicationFactory(in_review=True, due_on=today() + timedelta(days=6))
    sooner = ApplicationFactory(in_review=True, due_on=today() + timedelta(days=1))
    undated = ApplicationFactory(in_review=True, due_on=None)
    ApplicationFactory(submitted=True)
    ApplicationFactory(approved=True)

    response = as_user(officer).get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == [sooner.pk, later.pk, undated.pk]
    content = response.content.decode()
    assert 'href="?state=all"' in content  # the sidebar offers every state
    selected = list(response.context["cl"].filter_specs[0].choices(response.context["cl"]))
    assert [choice["display"] for choice in selected if choice["selected"]] == ["In review"]


def test_queue_state_filter_shows_another_state_or_all(as_user, officer):
    in_review = ApplicationFactory(in_review=True)
    submitted = ApplicationFactory(submitted=True)
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"state": "submitted"})) == [submitted.pk]
    assert set(listed(client.get(QUEUE, {"state": "all"}))) == {in_review.pk, submitted.pk}


def test_queue_columns_show_the_denormalised_trip(as_user, officer, organization):
    application = ApplicationFactory(
        in_review=True,
        organization=organization,
        assigned_officer=officer,
        rule_errors=1,
        rule_warnings=2,
        requires_signoff=True,
    )

    content = as_user(officer).get(QUEUE).content.decode()

    assert application.reference in content
    assert "Zhengzhou Test Trading Co., Ltd." in content
    assert application.leader_name in content
    assert "Germany, France" in content
    assert 'class="state-tag state-progress">In review<' in content
    assert ">1 error<" in content and ">2 warnings<" in content
    assert 'class="queue-badge queue-signoff"' in content
    assert str(officer) in content


def test_queue_filters_by_area_country_overdue_belt_and_road_and_assignment(as_user, officer):
    luoyang = ApplicationFactory(in_review=True, organization=OrganizationFactory(ftz_area="luoyang"))
    japan = ApplicationFactory(in_review=True)
    ItineraryLeg.objects.filter(application=japan, country="FR").update(country="JP")
    overdue = ApplicationFactory(in_review=True, due_on=today() - timedelta(days=2))
    belt = ApplicationFactory(in_review=True, belt_and_road=True)
    mine = ApplicationFactory(in_review=True, assigned_officer=officer)
    everyone = {luoyang.pk, japan.pk, overdue.pk, belt.pk, mine.pk}
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"organization__ftz_area__exact": "luoyang"})) == [luoyang.pk]
    assert listed(client.get(QUEUE, {"country": "JP"})) == [japan.pk]
    assert set(listed(client.get(QUEUE, {"country": "DE"}))) == everyone
    assert listed(client.get(QUEUE, {"overdue": "yes"})) == [overdue.pk]
    assert set(listed(client.get(QUEUE, {"overdue": "no"}))) == everyone - {overdue.pk}
    assert listed(client.get(QUEUE, {"belt_and_road__exact": "1"})) == [belt.pk]
    assert listed(client.get(QUEUE, {"assigned": "me"})) == [mine.pk]
    assert set(listed(client.get(QUEUE, {"assigned": "nobody"}))) == everyone - {mine.pk}
    countries = client.get(QUEUE).context["cl"].filter_specs[2].lookup_choices
    assert {code for code, _name in countries} == {"DE", "FR", "JP"}


def test_overdue_only_counts_while_someone_must_act(as_user, officer):
    ApplicationFactory(approved=True, due_on=today() - timedelta(days=5))

    response = as_user(officer).get(QUEUE, {"state": "all", "overdue": "yes"})

    assert listed(response) == []


def test_queue_search_by_reference_organisation_member_and_passport_without_duplicates(as_user, officer):
    organization = OrganizationFactory(name_zh="开封文旅有限公司", name_en="Kaifeng Culture Travel Co., Ltd.")
    target = ApplicationFactory(in_review=True, organization=organization)
    other = ApplicationFactory(in_review=True)
    traveller = PersonFactory(organization=organization, full_name="欧阳明月", passport_number="EA7654321")
    twin = PersonFactory(organization=organization, full_name="欧阳明星", passport_number="EA7654322")
    target.members.create(person=traveller, position_on_trip="翻译")
    target.members.create(person=twin, position_on_trip="司机")
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"q": target.reference.lower()})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": "culture travel"})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": "开封文旅"})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": "欧阳明"})) == [target.pk]  # two members match: one row
    assert listed(client.get(QUEUE, {"q": "ea 7654321"})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": "EA765432"})) == []  # passport numbers match whole
    assert other.pk not in listed(client.get(QUEUE, {"q": "欧阳"}))


def test_a_search_looks_through_every_state_unless_one_is_chosen(as_user, officer):
    approved = ApplicationFactory(approved=True)
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"q": approved.reference})) == [approved.pk]
    assert listed(client.get(QUEUE, {"q": approved.reference, "state": "in_review"})) == []


def test_overdue_application_carries_a_red_badge_with_its_days(as_user, officer):
    ApplicationFactory(in_review=True, due_on=today() - timedelta(days=3))
    ApplicationFactory(in_review=True, due_on=today() + timedelta(days=3))

    content = as_user(officer).get(QUEUE).content.decode()

    assert content.count('class="queue-badge queue-overdue">3 days overdue<') == 1
    assert content.count("overdue</span>") == 1  # the one due in three days has none


def test_queue_query_count_does_not_grow_with_rows(as_user, officer):
    officers = [officer, office_user(Role.OFFICER), office_user(Role.OFFICER)]
    organizations = OrganizationFactory.create_batch(5)  # the factory's codes repeat after a few dozen

    def make(count, start):
        for index in range(count):
            ApplicationFactory(
                in_review=True,
                trip=False,
                organization=organizations[index % 5],
                countries="DE,FR",
                leader_name="张三",
                departure_date=today() + timedelta(days=60),
                due_on=today() + timedelta(days=(start + index) % 9 - 3),
                assigned_officer=officers[index % 3] if index % 4 else None,
                requires_signoff=index % 5 == 0,
                rule_warnings=index % 3,
            )

    client = as_user(officer)
    make(10, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(QUEUE))) == 10
    make(190, 10)
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(QUEUE))) == 50
    assert len(many) == len(few), [query["sql"] for query in many]


def test_empty_queue_says_what_to_do(as_user, officer):
    content = as_user(officer).get(QUEUE).content.decode()

    assert 'data-testid="queue-empty"' in content


# Assignment ------------------------------------------------------------------------------------------


def test_assign_to_me_action_assigns_and_audits(as_user, officer):
    applications = ApplicationFactory.create_batch(2, in_review=True)

    response = as_user(officer).post(
        QUEUE, {"action": "assign_to_me", "index": 0, "_selected_action": [a.pk for a in applications]}
    )

    assert response.status_code == 302
    assert TravelApplication.objects.filter(assigned_officer=officer).count() == 2
    events = AuditEvent.objects.filter(action="travel_application.assign")
    assert events.count() == 2
    assert all(event.data == {"from": None, "to": officer.username} for event in events)


def test_reassign_to_another_officer_through_the_intermediate_page(as_user, officer):
    colleague = office_user(Role.OFFICER, first_name="芳", last_name="刘")
    application = ApplicationFactory(in_review=True, assigned_officer=officer)
    client = as_user(officer)

    page = client.post(
        QUEUE, {"action": "assign_to_officer", "index": 0, "_selected_action": [application.pk]}
    )
    assert page.status_code == 200
    assert application.reference in page.content.decode()
    assert f'value="{colleague.pk}"' in page.content.decode()

    done = client.post(
        QUEUE,
        {
            "action": "assign_to_officer",
            "apply": "1",
            "officer": colleague.pk,
            "_selected_action": [application.pk],
        },
    )

    assert done.status_code == 302
    application.refresh_from_db()
    assert application.assigned_officer == colleague
    event = AuditEvent.objects.get(action="travel_application.assign")
    assert event.data == {"from": officer.username, "to": colleague.username}


def test_only_officers_get_the_assignment_actions(as_user, leader, manager):
    ApplicationFactory(in_review=True)

    for user in (leader, manager):
        response = as_user(user).get(QUEUE)
        assert response.status_code == 200
        assert "assign_to_me" not in response.content.decode()


def test_assign_to_me_from_the_change_page(as_user, officer):
    application = ApplicationFactory(in_review=True)
    url = reverse("admin:approvals_travelapplication_assign", args=[application.pk])

    response = as_user(officer).post(url, {"officer": "me"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_officer == officer
    assert AuditEvent.objects.filter(action="travel_application.assign").count() == 1


# The change page and its buttons ------------------------------------------------------------------------


def test_change_page_shows_the_whole_application_and_the_officers_buttons(as_user, officer):
    application = ApplicationFactory(in_review=True, assigned_officer=officer)
    application.rule_results = [
        {
            "code": "leadership_pair",
            "severity": "warning",
            "field": "members",
            "forces_signoff": False,
            "message_en": "Two leaders travel together.",
            "message_zh": "两位领导同行。",
        },
        {
            "code": "destination_advisory",
            "severity": "warning",
            "field": "legs",
            "forces_signoff": True,
            "message_en": "The office advises against travel.",
            "message_zh": "不建议前往。",
        },
    ]
    application.save()
    services.application_assign(application=application, actor=officer, officer=officer)
    member = application.members.select_related("person").first()

    response = as_user(officer).get(change_url(application))

    assert response.status_code == 200
    content = response.content.decode()
    assert "汉堡" in content and "Lyon Expo SA" in content  # itinerary
    assert member.person.full_name in content and member.person.passport_number in content  # members, whole
    assert reverse("admin:accounts_person_change", args=[member.person_id]) in content
    attachment = application.attachments.get()
    assert reverse("admin:documents_document_download", args=[attachment.document_id]) in content
    assert "Two leaders travel together." in content and "needs leader sign-off" in content  # rule panel
    assert "assigned the application" in content  # timeline
    buttons = {t["name"] for t in response.context["transitions"]}
    assert buttons == {"approve", "escalate", "return_for_changes", "reject"}
    assert 'value="reject"' in content and "data-confirm=" in content
    assert 'name="_save"' not in content  # read-only: no save buttons


def test_manager_sees_the_queue_and_page_read_only_without_buttons(as_user, manager):
    application = ApplicationFactory(in_review=True)
    client = as_user(manager)

    assert client.get(QUEUE).status_code == 200
    response = client.get(change_url(application))

    assert response.status_code == 200
    assert response.context["transitions"] == []
    assert 'name="transition"' not in response.content.decode()
    refused = client.post(transition_url(application), {"transition": "approve"})
    assert refused.status_code == 302
    assert flashed(refused) == [("error", "Your role does not allow this action.")]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_posting_the_change_page_changes_nothing(as_user, officer):
    application = ApplicationFactory(in_review=True)

    response = as_user(officer).post(change_url(application), {"title": "Changed", "_save": "Save"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title != "Changed"


def test_no_adding_or_deleting_applications(as_user, officer):
    application = ApplicationFactory(in_review=True)
    client = as_user(officer)

    assert client.get(reverse("admin:approvals_travelapplication_add")).status_code == 403
    assert (
        client.get(reverse("admin:approvals_travelapplication_delete", args=[application.pk])).status_code
        == 403
    )


def test_approving_through_the_admin_moves_the_state_and_audits(
    as_user, officer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(in_review=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(officer).post(
            transition_url(application), {"transition": "approve", "comment": "OK"}
        )

    assert response.status_code == 302
    assert response.url == change_url(application)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    event = AuditEvent.objects.get(action="travel_application.approve")
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        officer,
        "in_review",
        "approved",
        "OK",
    )
    assert flashed(response)[0][0] == "success"


def test_the_buttons_keep_the_queues_filters(as_user, officer):
    application = ApplicationFactory(in_review=True)
    filters = "?_changelist_filters=state%3Dall%26overdue%3Dno"

    page = as_user(officer).get(change_url(application) + filters)
    assert page.context["transition_url"] == transition_url(application) + filters
    response = as_user(officer).post(transition_url(application) + filters, {"transition": "escalate"})

    assert response.url == change_url(application) + filters


@pytest.mark.parametrize("name", ["return_for_changes", "reject"])
def test_return_and_reject_need_a_comment(as_user, officer, name):
    application = ApplicationFactory(in_review=True)

    response = as_user(officer).post(transition_url(application), {"transition": name, "comment": "  "})

    assert response.status_code == 302
    assert flashed(response) == [("error", "Say why, so that the applicant knows what to do.")]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    assert not AuditEvent.objects.filter(action=f"travel_application.{name}").exists()


def test_reject_with_a_comment_is_done(as_user, officer):
    application = ApplicationFactory(in_review=True)

    as_user(officer).post(transition_url(application), {"transition": "reject", "comment": "No invitation."})

    application.refresh_from_db()
    assert application.state == State.REJECTED


def test_approve_of_a_trip_needing_signoff_is_refused_with_the_reason_but_escalate_works(as_user, officer):
    application = ApplicationFactory(in_review=True, requires_signoff=True)
    client = as_user(officer)

    page = client.get(change_url(application))
    assert "approve" not in {t["name"] for t in page.context["transitions"]}
    assert "The rules send this trip to leader sign-off" in page.content.decode()

    refused = client.post(transition_url(application), {"transition": "approve"})
    assert flashed(refused) == [("error", "This trip needs leader sign-off: send it to sign-off instead.")]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW

    client.post(transition_url(application), {"transition": "escalate"})
    application.refresh_from_db()
    assert application.state == State.PENDING_SIGNOFF


def test_rule_errors_refuse_approval_and_list_each_finding(as_user, officer):
    application = ApplicationFactory(in_review=True)
    application.attachments.all().delete()  # the invitation letter is required

    response = as_user(officer).post(transition_url(application), {"transition": "approve"})

    level, text = flashed(response)[0]
    assert level == "error"
    assert "does not meet the rules" in text and "<li>Attach the invitation letter of the host.</li>" in text
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_a_stale_second_approve_gives_a_warning_not_an_error(as_user, officer):
    application = ApplicationFactory(in_review=True)
    client = as_user(officer)

    client.post(transition_url(application), {"transition": "approve"})
    stale = client.post(transition_url(application), {"transition": "approve"})

    assert stale.status_code == 302
    level, text = flashed(stale)[-1]  # after the first one's success
    assert level == "warning" and "not possible" in text
    assert AuditEvent.objects.filter(action="travel_application.approve").count() == 1


def test_an_unknown_transition_is_a_warning(as_user, officer):
    application = ApplicationFactory(in_review=True)

    response = as_user(officer).post(transition_url(application), {"transition": "explode"})

    assert response.status_code == 302
    assert flashed(response)[0][0] == "warning"


def test_refused_comment_is_kept_for_the_next_try(as_user, officer):
    application = ApplicationFactory(in_review=True)
    application.attachments.all().delete()
    client = as_user(officer)

    client.post(transition_url(application), {"transition": "approve", "comment": "Looks fine to me"})

    assert "Looks fine to me" in client.get(change_url(application)).content.decode()


# The leaders' sign-off queue ------------------------------------------------------------------------------


def test_leader_sign_off_queue_lists_only_pending_signoff_and_signs_off(as_user, leader):
    pending = ApplicationFactory(pending_signoff=True)
    ApplicationFactory(in_review=True)
    ApplicationFactory(approved=True)
    client = as_user(leader)

    assert "approvals/signoffqueue/" in client.get(reverse("admin:index")).content.decode()
    response = client.get(SIGNOFF_QUEUE)
    assert listed(response) == [pending.pk]

    page = client.get(change_url(pending, "signoffqueue"))
    assert {t["name"] for t in page.context["transitions"]} == {"sign_off", "reject", "return_for_changes"}

    done = client.post(transition_url(pending, "signoffqueue"), {"transition": "sign_off"})

    assert done.url == SIGNOFF_QUEUE  # it has left the queue
    pending.refresh_from_db()
    assert pending.state == State.APPROVED
    assert AuditEvent.objects.get(action="travel_application.sign_off").data == {}


def test_officers_do_not_get_the_sign_off_queue(as_user, officer):
    client = as_user(officer)

    assert "approvals/signoffqueue/" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(SIGNOFF_QUEUE).status_code == 403


def test_a_substitute_signs_off_on_behalf_of_the_leader(as_user, officer, leader):
    Substitution.objects.create(principal=leader, substitute=officer, starts_on=today(), ends_on=today())
    pending = ApplicationFactory(pending_signoff=True)
    client = as_user(officer)

    assert listed(client.get(SIGNOFF_QUEUE)) == [pending.pk]
    client.post(transition_url(pending, "signoffqueue"), {"transition": "sign_off"})

    pending.refresh_from_db()
    assert pending.state == State.APPROVED
    event = AuditEvent.objects.get(action="travel_application.sign_off")
    assert event.actor == officer
    assert event.data == {"on_behalf_of": leader.username}
    page = client.get(change_url(pending)).content.decode()
    assert f"on behalf of {leader}" in page


def test_an_expired_substitution_gives_nothing(as_user, officer, leader):
    yesterday = today() - timedelta(days=1)
    Substitution.objects.create(principal=leader, substitute=officer, starts_on=yesterday, ends_on=yesterday)

    assert as_user(officer).get(SIGNOFF_QUEUE).status_code == 403


# Substitutions --------------------------------------------------------------------------------------------


def test_substitution_admin_forces_the_principal_to_oneself(as_user, leader, officer, manager):
    client = as_user(leader)
    form = client.get(reverse("admin:accounts_substitution_add"))
    assert form.status_code == 200
    choices = {user.pk for user in form.context["adminform"].form.fields["substitute"].queryset}
    assert officer.pk in choices and manager.pk in choices and leader.pk not in choices

    response = client.post(
        reverse("admin:accounts_substitution_add"),
        {
            "principal": manager.pk,  # ignored: the principal is always the user
            "substitute": officer.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=5)).isoformat(),
            "reason": "出差",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    substitution = Substitution.objects.get()
    assert (substitution.principal, substitution.substitute) == (leader, officer)
    event = AuditEvent.objects.get(action="substitution.create")
    assert event.data["principal"] == leader.username and event.data["substitute"] == officer.username


def test_substitution_admin_validates_the_period_and_enterprise_substitutes(
    as_user, leader, officer, applicant
):
    client = as_user(leader)
    url = reverse("admin:accounts_substitution_add")

    backwards = client.post(
        url,
        {"substitute": officer.pk, "starts_on": today().isoformat(), "ends_on": "2000-01-01", "reason": ""},
    )
    assert backwards.status_code == 200
    assert "The substitution must end on or after its first day." in backwards.content.decode()
    outsider = client.post(
        url,
        {"substitute": applicant.pk, "starts_on": today().isoformat(), "ends_on": today().isoformat()},
    )
    assert outsider.status_code == 200
    assert not Substitution.objects.exists()


def test_superuser_cannot_name_someone_their_own_substitute(as_user, admin_user, officer):
    response = as_user(admin_user).post(
        reverse("admin:accounts_substitution_add"),
        {
            "principal": officer.pk,
            "substitute": officer.pk,
            "starts_on": today().isoformat(),
            "ends_on": today().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "Name someone else as substitute." in response.content.decode()


def test_non_superusers_see_only_their_own_substitutions(as_user, leader, officer, manager):
    own = Substitution.objects.create(
        principal=leader, substitute=officer, starts_on=today(), ends_on=today()
    )
    other = Substitution.objects.create(
        principal=officer, substitute=manager, starts_on=today(), ends_on=today()
    )
    client = as_user(leader)

    shown = [
        s.pk for s in client.get(reverse("admin:accounts_substitution_changelist")).context["cl"].result_list
    ]

    assert shown == [own.pk]
    assert client.get(reverse("admin:accounts_substitution_change", args=[other.pk])).status_code == 302
    change = client.post(
        reverse("admin:accounts_substitution_change", args=[own.pk]),
        {
            "substitute": officer.pk,
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=2)).isoformat(),
            "reason": "休假",
        },
    )
    assert change.status_code == 302
    own.refresh_from_db()
    assert own.ends_on == today() + timedelta(days=2) and own.principal == leader
    assert AuditEvent.objects.filter(action="substitution.update").count() == 1


# Configuration ---------------------------------------------------------------------------------------------


def test_rule_settings_are_edited_through_an_audited_service(as_user, officer):
    setting = RuleSetting.objects.get(code="delegation_size")
    url = reverse("admin:approvals_rulesetting_change", args=[setting.pk])
    client = as_user(officer)

    page = client.get(url)
    assert page.status_code == 200
    assert "Size of the delegation" in page.content.decode()
    help_text = page.context["adminform"].form.fields["parameters"].help_text
    assert 'Defaults: {"max_members": 6}' in help_text

    response = client.post(url, {"enabled": "on", "severity": "warning", "parameters": '{"max_members": 8}'})

    assert response.status_code == 302
    setting.refresh_from_db()
    assert (setting.severity, setting.parameters) == ("warning", {"max_members": 8})
    event = AuditEvent.objects.get(action="rule_setting.update")
    assert event.data["before"]["parameters"] == {"max_members": 6}
    assert event.data["after"]["parameters"] == {"max_members": 8}


@pytest.mark.parametrize("parameters", ['{"max_people": 8}', '{"max_members": "eight"}', "[1]"])
def test_rule_settings_refuse_unknown_or_wrong_parameters(as_user, officer, parameters):
    setting = RuleSetting.objects.get(code="delegation_size")
    url = reverse("admin:approvals_rulesetting_change", args=[setting.pk])

    response = as_user(officer).post(url, {"enabled": "on", "severity": "error", "parameters": parameters})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    setting.refresh_from_db()
    assert setting.parameters == {"max_members": 6}
    assert not AuditEvent.objects.filter(action="rule_setting.update").exists()


def test_rules_cannot_be_added_or_deleted(as_user, admin_user):
    setting = RuleSetting.objects.first()
    client = as_user(admin_user)

    assert client.get(reverse("admin:approvals_rulesetting_add")).status_code == 403
    assert client.get(reverse("admin:approvals_rulesetting_delete", args=[setting.pk])).status_code == 403


def test_service_levels_are_edited_through_an_audited_service(as_user, officer):
    level = ServiceLevel.objects.get(state=State.IN_REVIEW)
    url = reverse("admin:approvals_servicelevel_change", args=[level.pk])
    client = as_user(officer)

    response = client.post(url, {"working_days": 7, "escalate_after": 3})

    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.working_days, level.escalate_after) == (7, 3)
    event = AuditEvent.objects.get(action="service_level.update")
    assert event.data == {
        "state": "in_review",
        "before": {"working_days": 5, "escalate_after": 2},
        "after": {"working_days": 7, "escalate_after": 3},
    }
    assert client.post(url, {"working_days": 0, "escalate_after": 3}).status_code == 200
    assert client.get(reverse("admin:approvals_servicelevel_delete", args=[level.pk])).status_code == 403


# Access -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["applicant", "liaison"])
def test_enterprise_users_are_sent_away_from_the_back_office(as_user, request, who):
    user = request.getfixturevalue(who)
    client = as_user(user)

    for url in (reverse("admin:index"), QUEUE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# After approval (more in test_admin_permits.py) ---------------------------------------------------------------


def test_queue_sidebar_offers_the_follow_up_filters_and_a_follow_up_looks_through_every_state(
    as_user, officer
):
    problem = ApplicationFactory(approved=True, permit_error="OSError: disk full")
    client = as_user(officer)

    content = client.get(QUEUE).content.decode()

    for parameter in ("permit_problem", "report_overdue", "passport_overdue", "objections"):
        assert f"?{parameter}=yes" in content
    assert listed(client.get(QUEUE, {"permit_problem": "yes"})) == [problem.pk]
    assert listed(client.get(QUEUE, {"permit_problem": "no"})) == []  # "no" keeps the default state
