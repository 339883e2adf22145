"""One selector decides what a user may see; every door goes through it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from foreign_affairs.accounts.models import Membership, Organization, Person, User
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.documents.models import Document
from foreign_affairs.notifications.models import Notification
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations(organization, other_organization):
    PersonFactory.create_batch(3, organization=organization)
    PersonFactory.create_batch(2, organization=other_organization)


@pytest.mark.usefixtures("two_organisations")
def test_enterprise_users_see_only_their_organisation(applicant, organization):
    people = scope_for_user(Person.objects.all(), applicant)
    assert people.count() == 3
    assert set(people.values_list("organization", flat=True)) == {organization.pk}
    assert list(scope_for_user(Organization.objects.all(), applicant)) == [organization]
    assert set(
        scope_for_user(Membership.objects.all(), applicant).values_list("organization", flat=True)
    ) == {organization.pk}


@pytest.mark.usefixtures("two_organisations")
@pytest.mark.parametrize("role", ["officer", "leader", "manager"])
def test_office_staff_see_every_organisation(role, request):
    user = request.getfixturevalue(role)
    assert scope_for_user(Person.objects.all(), user).count() == 5
    assert scope_for_user(Organization.objects.all(), user).count() == 2


@pytest.mark.usefixtures("two_organisations")
def test_users_without_organisation_or_session_see_nothing():
    loner = UserFactory()
    assert scope_for_user(Person.objects.all(), loner).count() == 0
    assert scope_for_user(Person.objects.all(), AnonymousUser()).count() == 0
    inactive = User.objects.get(pk=loner.pk)
    inactive.is_active = False
    assert scope_for_user(Person.objects.all(), inactive).count() == 0


def test_models_without_an_organisation_path_are_refused(applicant):
    with pytest.raises(ImproperlyConfigured):
        scope_for_user(Notification.objects.all(), applicant)


def test_documents_of_the_office_are_not_visible_to_enterprises(applicant, officer, organization):
    Document.objects.create(
        organization=None,
        original_name="office.pdf",
        file="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    Document.objects.create(
        organization=organization,
        original_name="own.pdf",
        file="y.pdf",
        content_type="application/pdf",
        size=1,
        sha256="1" * 64,
    )
    assert list(
        scope_for_user(Document.objects.all(), applicant).values_list("original_name", flat=True)
    ) == ["own.pdf"]
    assert scope_for_user(Document.objects.all(), officer).count() == 2
