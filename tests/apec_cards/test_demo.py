"""seed_demo holds APEC card applications and cards in several states (CONTRACT.md)."""

import pytest
from django.utils import timezone

from apec_cards.models import Card, CardApplication
from apec_cards.selectors import renewable_on
from apec_cards.workflow import CardState, State
from foreign_affairs.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db


def test_the_demo_has_cards_and_applications_in_several_states(demo):
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
    assert all(card.letter and card.letter.storage.exists(card.letter.name) for card in Card.objects.all())
    assert verify_chain().ok
    assert CardApplication.objects.count() == 9  # seeding again adds none (test_operations.py)
