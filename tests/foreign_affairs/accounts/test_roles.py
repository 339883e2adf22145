import pytest
from django.contrib.auth.models import Group

from foreign_affairs.accounts import services
from foreign_affairs.accounts.models import Membership
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_every_role_with_permissions():
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(groups) >= {role.value for role in Role}
    perms = {
        name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for name, group in groups.items()
    }
    assert "accounts.add_person" in perms["Applicant"]
    assert "accounts.change_organization" not in perms["Applicant"]
    assert "accounts.change_organization" in perms["Liaison"]
    assert "accounts.add_organization" in perms["Officer"]
    assert not any(p.startswith(("accounts.add", "accounts.change")) for p in perms["Manager"])


def test_joining_an_organisation_gives_roles_audit_and_a_notification(organization, officer):
    user = UserFactory()
    services.membership_save(
        membership=Membership(user=user, organization=organization, is_liaison=True), actor=officer
    )
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {Role.APPLICANT, Role.LIAISON}
    event = AuditEvent.objects.get(action="membership.create")
    assert event.actor == officer
    assert event.data == {"organization": organization.pk, "is_liaison": True}
    assert Notification.objects.filter(recipient=user, channel="in_app").count() == 1


def test_losing_liaison_and_leaving_removes_the_roles(organization, officer, liaison):
    membership = Membership.objects.get(user=liaison)
    membership.is_liaison = False
    services.membership_save(membership=membership, actor=officer)
    assert set(liaison.groups.values_list("name", flat=True)) == {Role.APPLICANT}
    services.membership_delete(membership=membership, actor=officer)
    assert not liaison.groups.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "membership.update",
        "membership.delete",
    ]


def test_office_staff_cannot_join_an_enterprise(organization, officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.membership_save(
            membership=Membership(user=officer, organization=organization), actor=officer
        )
    assert not Membership.objects.exists()
