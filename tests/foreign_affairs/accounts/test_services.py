"""The accounts services decide who may do what, so every door (pages, API, admin) gets the same answer,
and they write the audit event themselves."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext

from foreign_affairs.accounts import services
from foreign_affairs.accounts.models import Membership, Organization, Person, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from tests.factories import PersonFactory, UserFactory, enterprise_user

pytestmark = pytest.mark.django_db

TRAVELLER = {
    "full_name": "孙强",
    "passport_type": "official_ordinary",
    "passport_number": "SE1234567",
    "passport_expiry": date.today() + timedelta(days=900),
}


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


# Adding a traveller ---------------------------------------------------------------------------------


def test_office_staff_add_a_traveller_to_the_organisation_they_name(officer, organization):
    person = services.person_create(actor=officer, organization=organization, **TRAVELLER)
    assert person.organization == organization
    event = AuditEvent.objects.get(action="person.create")
    assert (event.actor, event.data) == (officer, {"organization": organization.pk})


def test_office_staff_must_name_the_organisation(officer):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=officer, **TRAVELLER)
    assert refused.value.message_dict == {
        "organization": [gettext("Choose the organisation the person belongs to.")]
    }
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_an_applicant_adds_to_their_own_organisation_named_or_not(applicant, organization):
    first = services.person_create(actor=applicant, **TRAVELLER)
    second = services.person_create(
        actor=applicant, organization=organization, **{**TRAVELLER, "passport_number": "SE7654321"}
    )
    assert first.organization == second.organization == organization
    assert _actions() == ["person.create", "person.create"]


def test_an_applicant_cannot_add_to_another_organisation(applicant, other_organization):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=applicant, organization=other_organization, **TRAVELLER)
    assert refused.value.message_dict == {
        "organization": [gettext("You can only add people to your own organisation.")]
    }
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_a_user_of_no_organisation_cannot_add_travellers(organization):
    nobody = UserFactory()
    with pytest.raises(PermissionDenied):
        services.person_create(actor=nobody, organization=organization, **TRAVELLER)
    # With the permission but no organisation the answer is the one on the field.
    nobody.groups.add(Group.objects.get(name=Role.APPLICANT))
    nobody = User.objects.get(pk=nobody.pk)
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=nobody, **TRAVELLER)
    assert set(refused.value.message_dict) == {"organization"}
    assert not Person.objects.exists()


def test_a_manager_may_read_travellers_but_not_add_them(manager, organization):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=manager, organization=organization, **TRAVELLER)


# Roles ----------------------------------------------------------------------------------------------


def test_a_superuser_gives_an_office_role_with_staff_status_and_it_is_audited(admin_user):
    target = UserFactory()
    services.user_roles_set(user=target, groups=Group.objects.filter(name=Role.OFFICER), actor=admin_user)
    target = User.objects.get(pk=target.pk)
    assert target.is_staff and target.roles == {Role.OFFICER}
    event = AuditEvent.objects.get(action="user.roles_change")
    assert (event.actor, event.object_id, event.data) == (
        admin_user,
        str(target.pk),
        {"added": ["Officer"], "removed": []},
    )

    services.user_roles_set(user=target, groups=Group.objects.filter(name=Role.LEADER), actor=admin_user)
    assert AuditEvent.objects.filter(action="user.roles_change").latest("id").data == {
        "added": ["Leader"],
        "removed": ["Officer"],
    }


def test_setting_the_same_roles_again_records_nothing(admin_user, officer):
    services.user_roles_set(user=officer, groups=officer.groups.all(), actor=admin_user)
    assert not AuditEvent.objects.exists()


def test_only_superusers_hand_out_roles(officer):
    target = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_roles_set(user=target, groups=Group.objects.filter(name=Role.OFFICER), actor=officer)
    target.refresh_from_db()
    assert not target.is_staff and not target.groups.exists() and not AuditEvent.objects.exists()


# Deleting ---------------------------------------------------------------------------------------------


def test_deleting_an_organisation_is_audited_and_its_members_lose_their_roles(admin_user, organization):
    member = enterprise_user(organization, liaison=True)
    uscc = organization.uscc
    services.organization_delete(organization=organization, actor=admin_user)
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not Membership.objects.filter(user=member).exists()
    assert not member.groups.exists()
    event = AuditEvent.objects.get(action="organization.delete")
    assert (event.actor, event.object_id, event.data) == (admin_user, str(organization.pk), {"uscc": uscc})


def test_an_organisation_with_travellers_is_kept_and_nothing_is_recorded(admin_user, organization):
    PersonFactory(organization=organization)
    with pytest.raises(ProtectedError):
        services.organization_delete(organization=organization, actor=admin_user)
    assert Organization.objects.filter(pk=organization.pk).exists() and not AuditEvent.objects.exists()


def test_officers_delete_neither_organisations_nor_travellers(officer, organization):
    person = PersonFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        services.organization_delete(organization=organization, actor=officer)
    with pytest.raises(PermissionDenied):
        services.person_delete(person=person, actor=officer)
    assert Person.objects.filter(pk=person.pk).exists() and not AuditEvent.objects.exists()


def test_deleting_a_traveller_is_audited(admin_user, organization):
    person = PersonFactory(organization=organization)
    pk = person.pk
    services.person_delete(person=person, actor=admin_user)
    assert not Person.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="person.delete")
    assert (event.actor, event.object_id, event.data) == (
        admin_user,
        str(pk),
        {"organization": organization.pk},
    )
