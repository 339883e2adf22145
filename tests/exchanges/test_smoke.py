import pytest

from exchanges.workflow import State

from .factories import activity, city, contact, media_request, run

pytestmark = pytest.mark.django_db


def test_backbone(officer, leader):
    item = activity(officer)
    assert item.reference.startswith("HNEX-") and item.checklist.count() == 7
    item = run(item, leader, "approve")
    item = run(item, officer, "confirm")
    assert item.state == State.CONFIRMED
    assert media_request().reference.startswith("HNMR-")
    assert city(officer).slug == "zhengzhou-lyon"
    assert str(contact(officer)).startswith("HNOC-")
