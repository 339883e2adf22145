"""The health of a friendship-city relationship: a badge and its reasons, so that the office sees which
relationships are going quiet.

The rules (settings EXCHANGES_QUIET_AFTER_YEARS, EXCHANGES_DORMANT_AFTER_YEARS,
EXCHANGES_RENEWAL_WARNING_DAYS; the defaults follow the office's practice that a relationship without an
exchange for two to three years is dormant):

- Counted from the last exchange held (an activity of the pair in state held, reported or closed), or from
  the day the relationship was established when none was ever held.
- **Dormant** when that is three years ago or more (on the day itself too), unless the pair has active
  cooperation projects: then it needs attention.
- **Needs attention** when it is two years ago or more; or when an agreement is to be renewed within 180
  days or should have been renewed already.
- **Active** otherwise.

`assess` works on the figures of one pair (the pages and the API); `annotate` puts the same figures and
the level on a queryset in the database (the back office's filter, the reports), so the two always agree.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projects.workflow import OPEN_STAGES

from .workflow import HELD_STATES


class Health(models.TextChoices):
    ACTIVE = "active", _("Active")
    ATTENTION = "attention", _("Needs attention")
    DORMANT = "dormant", _("Dormant")


HEALTH_TONES = {Health.ACTIVE: "success", Health.ATTENTION: "attention", Health.DORMANT: "danger"}
_RANK = {Health.ACTIVE: 0, Health.ATTENTION: 1, Health.DORMANT: 2}


def quiet_years() -> int:
    return getattr(settings, "EXCHANGES_QUIET_AFTER_YEARS", 2)


def dormant_years() -> int:
    return getattr(settings, "EXCHANGES_DORMANT_AFTER_YEARS", 3)


def renewal_warning_days() -> int:
    return getattr(settings, "EXCHANGES_RENEWAL_WARNING_DAYS", 180)


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass
class Assessment:
    level: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Health(self.level).label)

    @property
    def tone(self) -> str:
        return HEALTH_TONES[Health(self.level)]


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def assess(
    *,
    established_on: date,
    last_exchange: date | None,
    exchanges_3y: int,
    active_projects: int,
    next_renewal: date | None,
    today: date,
) -> Assessment:
    level = Health.ACTIVE
    reasons: list[str] = []
    since = last_exchange or established_on
    if last_exchange is None:
        reasons.append(str(_("No exchange recorded since the relationship was established")))
    else:
        reasons.append(str(_("Last exchange: %(day)s")) % {"day": _day(last_exchange)})
    if since <= years_before(today, dormant_years()):
        if active_projects:
            level = Health.ATTENTION
            reasons.append(
                str(_("No exchange for %(years)d years, but cooperation projects are active"))
                % {"years": dormant_years()}
            )
        else:
            level = Health.DORMANT
            reasons.append(str(_("No exchange for %(years)d years")) % {"years": dormant_years()})
    elif since <= years_before(today, quiet_years()):
        level = Health.ATTENTION
        reasons.append(str(_("No exchange for %(years)d years")) % {"years": quiet_years()})
    reasons.append(
        ngettext(
            "%(count)d exchange in the last three years",
            "%(count)d exchanges in the last three years",
            exchanges_3y,
        )
        % {"count": exchanges_3y}
    )
    reasons.append(
        ngettext(
            "%(count)d active cooperation project", "%(count)d active cooperation projects", active_projects
        )
        % {"count": active_projects}
    )
    if next_renewal is not None:
        if next_renewal < today:
            reasons.append(
                str(_("An agreement was due for renewal on %(day)s")) % {"day": _day(next_renewal)}
            )
            level = max(level, Health.ATTENTION, key=_RANK.get)
        elif next_renewal <= today + timedelta(days=renewal_warning_days()):
            reasons.append(str(_("An agreement is to be renewed by %(day)s")) % {"day": _day(next_renewal)})
            level = max(level, Health.ATTENTION, key=_RANK.get)
    return Assessment(level=str(level), reasons=reasons)


def annotate(queryset, today: date):
    """`queryset` of FriendshipCity with `last_exchange`, `exchanges_3y`, `active_projects`,
    `next_renewal` and `health` (the level), each a subquery (no join multiplies another's count)."""
    from .models import Activity, FriendshipAgreement, FriendshipCity

    held = Activity.objects.filter(friendship_city=OuterRef("pk"), state__in=HELD_STATES).order_by()
    three_years_ago = years_before(today, 3)
    projects = FriendshipCity.projects.through.objects.filter(
        friendshipcity_id=OuterRef("pk"), cooperationproject__stage__in=OPEN_STAGES
    ).order_by()
    queryset = queryset.annotate(
        last_exchange=Subquery(
            held.values("friendship_city").annotate(m=Max("ends_on")).values("m")[:1],
            output_field=models.DateField(),
        ),
        exchanges_3y=Coalesce(
            Subquery(
                held.filter(ends_on__gt=three_years_ago)
                .values("friendship_city")
                .annotate(c=Count("pk"))
                .values("c")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        active_projects=Coalesce(
            Subquery(
                projects.values("friendshipcity_id").annotate(c=Count("pk")).values("c")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        next_renewal=Subquery(
            FriendshipAgreement.objects.filter(city=OuterRef("pk"), renew_by__isnull=False)
            .order_by()
            .values("city")
            .annotate(m=Min("renew_by"))
            .values("m")[:1],
            output_field=models.DateField(),
        ),
    )
    since = Coalesce("last_exchange", "established_on")
    queryset = queryset.annotate(health_since=since)
    renewal_due = Q(
        next_renewal__isnull=False, next_renewal__lte=today + timedelta(days=renewal_warning_days())
    )
    dormant = Q(health_since__lte=years_before(today, dormant_years()), active_projects=0)
    attention = Q(health_since__lte=years_before(today, quiet_years())) | renewal_due
    return queryset.annotate(
        health=Case(
            When(dormant, then=Value(Health.DORMANT)),
            When(attention, then=Value(Health.ATTENTION)),
            default=Value(Health.ACTIVE),
            output_field=models.CharField(),
        )
    )


def assess_annotated(city, today: date) -> Assessment:
    """The assessment of a city from `annotate`'s figures."""
    return assess(
        established_on=city.established_on,
        last_exchange=city.last_exchange,
        exchanges_3y=city.exchanges_3y,
        active_projects=city.active_projects,
        next_renewal=city.next_renewal,
        today=today,
    )
