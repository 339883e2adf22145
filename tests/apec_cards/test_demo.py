"""seed_demo holds APEC card applications and cards in several states (CONTRACT.md)."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from apec_cards.models import Card, CardApplication
from apec_cards.selectors import renewable_on
from apec_cards.workflow import CardState, State
from foreign_affairs.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db


def test_the_demo_has_cards_and_applications_in_several_states(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert set(CardApplication.objects.values_list("state", flat=True)) == {
        State.DRAFT,
        State.SUBMITTED,
        State.ENDORSED,
        State.PRE_CLEARANCE,
        State.ISSUED,
        State.REJECTED,
    }
    assert set(Card.objects.values_list("state", flat=True)) == {
        CardState.ACTIVE,
        CardState.EXPIRED,
        CardState.REPORTED_LOST,
    }
    early = Card.objects.get(holder__full_name="张伟")
    assert sorted(early.card_economies.values_list("economy_id", flat=True)) == ["AU", "JP", "SG"]
    assert early.application.preclearances.filter(decision="pending").count() == 1
    expiring = Card.objects.get(holder__full_name="李娜")
    assert renewable_on(expiring) <= timezone.localdate() < expiring.expires_on
    assert all(card.letter for card in Card.objects.all())
    assert verify_chain().ok

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert CardApplication.objects.count() == 9
