"""The one passport visibility rule (accounts.passports): whole to the office and the traveller's own
organisation where one traveller is shown, masked in lists and to everyone else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from foreign_affairs.accounts.passports import passport_number_for, sees_whole_passport_numbers
from foreign_affairs.accounts.roles import Role
from tests.factories import PersonFactory, UserFactory, enterprise_user, office_user

pytestmark = pytest.mark.django_db

NUMBER = "E12345678"
MASKED = "*****5678"


def _viewer(kind: str, organization, other_organization):
    """The signed-in user (or None) that `kind` names."""
    return {
        "officer": lambda: office_user(Role.OFFICER),
        "leader": lambda: office_user(Role.LEADER),
        "manager": lambda: office_user(Role.MANAGER),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
        "own applicant": lambda: enterprise_user(organization),
        "own liaison": lambda: enterprise_user(organization, liaison=True),
        "own applicant, deactivated": lambda: enterprise_user(organization, is_active=False),
        "other organisation's liaison": lambda: enterprise_user(other_organization, liaison=True),
        "user of no organisation": lambda: UserFactory(),
        "anonymous": AnonymousUser,
        "nobody (no request)": lambda: None,
    }[kind]()


# (viewer, shown on a detail page, shown in a list)
RULE = [
    ("officer", NUMBER, MASKED),
    ("leader", NUMBER, MASKED),
    ("manager", NUMBER, MASKED),
    ("superuser", NUMBER, MASKED),
    ("own applicant", NUMBER, MASKED),
    ("own liaison", NUMBER, MASKED),
    ("own applicant, deactivated", MASKED, MASKED),
    ("other organisation's liaison", MASKED, MASKED),
    ("user of no organisation", MASKED, MASKED),
    ("anonymous", MASKED, MASKED),
    ("nobody (no request)", MASKED, MASKED),
]


@pytest.mark.parametrize(("kind", "on_detail", "in_list"), RULE, ids=[row[0] for row in RULE])
def test_who_sees_a_passport_number_whole(kind, on_detail, in_list, organization, other_organization):
    viewer = _viewer(kind, organization, other_organization)
    person = PersonFactory(organization=organization, passport_number=NUMBER)

    assert passport_number_for(viewer, NUMBER, organization_id=organization.pk) == on_detail
    assert passport_number_for(viewer, NUMBER, organization_id=organization.pk, listed=True) == in_list
    # The model's method is the same rule.
    assert person.passport_number_for(viewer) == on_detail
    assert person.passport_number_for(viewer, listed=True) == in_list
    assert sees_whole_passport_numbers(viewer, organization.pk) is (on_detail == NUMBER)


def test_a_missing_passport_number_stays_empty(officer, applicant, organization):
    for viewer in (officer, applicant, None):
        assert passport_number_for(viewer, "", organization_id=organization.pk) == ""


def test_an_enterprise_user_sees_no_number_whole_without_knowing_its_organisation(applicant):
    assert passport_number_for(applicant, NUMBER, organization_id=None) == MASKED
