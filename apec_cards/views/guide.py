"""The public pages: the guide to the APEC Business Travel Card and the eligibility self-check."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import eligibility as rules
from ..forms import EligibilityForm
from ..models import Economy, Participation
from ..terms import CARD_TERM_YEARS, PASSPORT_MIN_VALIDITY_MONTHS, RENEWAL_WINDOW_MONTHS
from ..workflow import Kind
from .common import can_apply, is_enterprise


def _fee() -> int:
    return int(getattr(settings, "APEC_CARD_FEE_CNY", 0) or 0)


@require_GET
def guide(request):
    economies = list(Economy.objects.order_by("position", "code"))
    user = request.user
    return render(
        request,
        "apec_cards/guide.html",
        {
            "economies": economies,
            "economy_count": len(economies),
            "full_count": sum(economy.participation == Participation.FULL for economy in economies),
            "transitional": [e for e in economies if e.participation == Participation.TRANSITIONAL],
            "fee": _fee(),
            "term_years": CARD_TERM_YEARS,
            "renewal_months": RENEWAL_WINDOW_MONTHS,
            "passport_months": PASSPORT_MIN_VALIDITY_MONTHS,
            "is_enterprise": is_enterprise(user),
            "can_apply": can_apply(user),
        },
    )


def _signed_in_url(request, url: str) -> str:
    """`url`, through the sign-in page for a visitor."""
    if request.user.is_authenticated:
        return url
    return f"{reverse('login')}?{urlencode({'next': url})}"


def _next_steps(request, assessment) -> list[dict]:
    """Where to go from the self-check's answer: the form, the cards, or back to the guide."""
    create = reverse("apec_cards:application_create")
    cards = reverse("apec_cards:card_list")
    steps = []
    if assessment.outcome == rules.APPLY and assessment.kind == Kind.NEW:
        steps.append({"url": _signed_in_url(request, create), "label": "apply", "primary": True})
    elif assessment.outcome in (rules.APPLY, rules.RENEW, rules.REPLACE):
        steps.append({"url": _signed_in_url(request, cards), "label": "cards", "primary": True})
    elif assessment.outcome == rules.NOT_YET and assessment.kind in (Kind.RENEWAL, Kind.REPLACEMENT):
        steps.append({"url": _signed_in_url(request, cards), "label": "cards", "primary": False})
    steps.append({"url": reverse("apec_cards:guide"), "label": "guide", "primary": not steps})
    return steps


@require_GET
def eligibility(request):
    """A GET form: the answers stay in the URL and nothing is stored."""
    answered = any(name in request.GET for name in EligibilityForm.base_fields)
    form = EligibilityForm(request.GET if answered else None)
    assessment = form.assessment() if answered and form.is_valid() else None
    return render(
        request,
        "apec_cards/eligibility.html",
        {
            "form": form,
            "assessment": assessment,
            "next_steps": _next_steps(request, assessment) if assessment else [],
            "signed_in": request.user.is_authenticated,
            "can_apply": can_apply(request.user),
            "renewal_months": RENEWAL_WINDOW_MONTHS,
        },
    )
