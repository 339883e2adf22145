"""The daily summary of the travel applications behind the managers' dashboard (approvals.summary).

One row counts the applications (or stays in a state) of one local day, FTZ area and metric, with the
dimensions that metric needs. The same counts are kept for whole weeks (grain "w", day = the Monday) and
calendar months (grain "m", day = the 1st), and for all areas together (ftz_area "*"), so that a year's
dashboard reads a few thousand rows whatever the number of applications.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    DAY = "d", _("day")
    WEEK = "w", _("week")
    MONTH = "m", _("month")


# The ftz_area of the rows that count every area.
ALL_AREAS = "*"


class Metric(models.TextChoices):
    RECEIVED = "received", _("received (by day of submission)")
    DECIDED = "decided", _("decided (by day of decision)")
    DECISION_HOURS = "decision_hours", _("hours from submission to decision (by day of decision)")
    RETURNED = "returned", _("returned for changes (by day returned)")
    WAITED_HOURS = "waited_hours", _("hours in a waiting state (by day left)")
    SERVICE_TOTAL = "service_total", _("waiting steps with a deadline (by day left)")
    SERVICE_IN_TIME = "service_in_time", _("waiting steps left on time (by day left)")
    TRIPS = "trips", _("approved trips by kind of mission (by day of departure)")
    TRIPS_BELT_AND_ROAD = "trips_bri", _("Belt and Road trips (by day of departure)")
    TRIPS_ORGANIZATION = "trips_org", _("approved trips by organisation (by day of departure)")
    TRIPS_COUNTRY = "trips_country", _("approved trips by country (by day of departure)")


class TravelSummary(models.Model):
    metric = models.CharField(_("metric"), max_length=16, choices=Metric.choices)
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(_("day"))
    ftz_area = models.CharField(_("FTZ area"), max_length=16, blank=True)
    # The state of a waiting step or of a decided application; "" when the metric has none.
    state = models.CharField(_("state"), max_length=20, blank=True)
    # The kind of mission, the organisation's id or the country's code; "" when the metric has none.
    value = models.CharField(_("value"), max_length=32, blank=True)
    # The duration's bucket: whole hours, rounded down (0 for the counts).
    hours = models.IntegerField(_("hours"), default=0)
    n = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("travel summary row")
        verbose_name_plural = _("travel summary")
        constraints = [
            # The key of the upserts (INSERT … ON CONFLICT) and the dashboard's index. No INCLUDE (n):
            # Django leaves out such a constraint on SQLite, whose upserts need it.
            models.UniqueConstraint(
                fields=["metric", "grain", "day", "ftz_area", "state", "value", "hours"],
                name="travel_summary_key",
            )
        ]

    def __str__(self):
        return f"{self.metric} {self.grain} {self.day} {self.ftz_area} {self.state} {self.value} {self.hours}"
