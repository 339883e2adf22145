"""The managers' APEC figures and report rows, checked against a small fixture computed by hand.

Period: the first half of 2026 (the test runs on 2026-07-01). Zhengzhou (Z) and Luoyang (L):

    card 1  Z  issued 2026-03-10, AU approved; JP, SG pending              active, expires 2031
    card 2  Z  issued 2025-12-01 (before the period), AU approved; JP, SG  active, expires 2026-09-30
    card 3  L  issued 2026-05-20, AU approved; JP pending, SG refused     reported lost
    app  4  Z  in pre-clearance: AU, JP, SG pending                       awaiting the office
    app  5  L  submitted, not yet endorsed                                awaiting the organisation

Issued in the period: cards 1 and 3 → 2 (Zhengzhou 1, Luoyang 1). Valid: cards 1 and 2 → 2. Expiring within
six months of 2026-07-01: card 2 → 1. Awaiting the office: app 4 → 1 (app 5 waits for its liaison).
Answers pending (applications in pre-clearance or issued early): JP 4 (cards 1, 2, 3, app 4), SG 3
(cards 1, 2, app 4; card 3's SG was refused), AU 1 (app 4) → 8.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from apec_cards.models import Card
from apec_cards.reporting import apec_panels, card_rows
from foreign_affairs.reports.filters import Filters
from tests.apec_cards.helpers import card_person, decide, draft, issued_card, run, to_preclearance
from tests.factories import enterprise_user

pytestmark = pytest.mark.django_db
H1 = Filters(date(2026, 1, 1), date(2026, 6, 30))
H1_LUOYANG = Filters(date(2026, 1, 1), date(2026, 6, 30), "luoyang")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def fixture(applicant, liaison, officer, other_organization):
    luoyang_applicant = enterprise_user(other_organization)
    luoyang_liaison = enterprise_user(other_organization, liaison=True)
    with time_machine.travel(TODAY, tick=False):
        card1 = issued_card(applicant=applicant, liaison=liaison, officer=officer)
        card2 = issued_card(applicant=applicant, liaison=liaison, officer=officer)
        card3 = issued_card(applicant=luoyang_applicant, liaison=luoyang_liaison, officer=officer)
        decide(card3.application, officer, "SG", decision="refused")
        app4 = to_preclearance(
            draft(applicant, card_person(applicant.organization)),
            applicant=applicant,
            liaison=liaison,
            officer=officer,
        )
        app5 = run(draft(luoyang_applicant, card_person(other_organization)), luoyang_applicant, "submit")
        Card.objects.filter(pk=card1.pk).update(issued_on=date(2026, 3, 10))
        Card.objects.filter(pk=card2.pk).update(issued_on=date(2025, 12, 1), expires_on=date(2026, 9, 30))
        Card.objects.filter(pk=card3.pk).update(issued_on=date(2026, 5, 20), state="reported_lost")
    return {"cards": [card1, card2, card3], "app4": app4, "app5": app5}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def figures(filters: Filters) -> tuple:
    """The APEC section and its figures by label."""
    with time_machine.travel(TODAY, tick=False):
        (section,) = apec_panels(filters)
    return section, {str(figure.label): figure.value for figure in section.figures}


def test_card_figures(fixture):
    section, found = figures(H1)
    assert found == {
        "APEC cards issued": 2,
        "Valid APEC cards": 2,
        "Cards expiring within six months": 1,
        "Card applications awaiting the office": 1,
        "Pre-clearance answers pending": 8,
    }
    (chart,) = section.charts
    pending = dict(zip(chart.labels, chart.series[0][1], strict=True))
    assert pending == {"Japan": 4, "Singapore": 3, "Australia": 1}


def test_card_figures_of_one_area(fixture):
    section, found = figures(H1_LUOYANG)
    assert found == {
        "APEC cards issued": 1,
        "Valid APEC cards": 0,
        "Cards expiring within six months": 0,
        "Card applications awaiting the office": 0,
        "Pre-clearance answers pending": 1,
    }
    assert section.charts[0].labels == ["Japan"]


def test_every_figure_links_to_a_list_that_the_back_office_accepts(fixture, client, officer):
    client.force_login(officer)
    section, _found = figures(H1)
    links = [figure.url for figure in section.figures] + section.charts[0].urls
    for url in links:
        assert client.get(url).status_code == 200, url
    issued = client.get(section.figures[0].url)
    assert {card.number for card in issued.context["cl"].result_list} == {
        fixture["cards"][0].number,
        fixture["cards"][2].number,
    }


def test_card_rows(fixture):
    card1, _card2, card3 = fixture["cards"]
    rows = list(card_rows(H1))
    assert [row[0] for row in rows] == [card1.number, card3.number]  # by issue date
    assert rows[0][5] == date(2026, 3, 10)
    assert (rows[0][4], rows[1][4]) == ("Zhengzhou area", "Luoyang area")
    assert (rows[0][8], rows[1][7]) == ("Australia", "Reported lost")
