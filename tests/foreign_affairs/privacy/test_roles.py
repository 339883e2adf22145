"""The office roles hold the privacy permissions after migrate: custom ones (Meta.permissions) too."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def granted(role: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_officers_export_and_erase_and_every_office_role_reads_the_access_records():
    assert {
        "privacy.export_person_data",
        "privacy.erase_person",
        "privacy.view_personaldataaccess",
    } <= granted("Officer")
    for role in ("Leader", "Manager"):
        assert "privacy.view_personaldataaccess" in granted(role)
        assert "privacy.erase_person" not in granted(role)
    assert not {name for name in granted("Liaison") if name.startswith("privacy.")}
