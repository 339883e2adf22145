"""The daily summary of travel applications (models.TravelSummary) behind the managers' dashboard.

The dashboard's travel figures are sums over a few thousand summary rows instead of aggregates over
every application of the period (issue 18: p50 ≤ 150 ms at a million applications).

- `contributions(application_id)`: what one application adds to the summary, from its raw rows.
- `summary_before(application_id)` / `summary_after(application_id, before)`: the services call these
  around a change of a locked application, in its transaction, and the difference is upserted
  (`store.apply`): the summary is current when the change commits.
- `rebuild(since=None)`: recomputes the summary from the raw rows with set-based SQL (the command
  `rebuild_travel_summary`). It covers what the services do not follow: an organisation moved to another
  FTZ area, an application deleted, rows written without the services (seed data, fixtures).
- `read`: the figures of the dashboard, read back.

Durations are kept as histograms of whole hours (rounded down): percentiles interpolated over them
(`read.percentile`) equal PostgreSQL's percentile_cont over the durations rounded down to whole hours,
so they are at most one hour (0.04 day) below percentile_cont over the raw durations — less than the
dashboard's precision of a tenth of a day (2.4 hours).
"""

from .keys import contributions
from .rebuild import rebuild
from .store import apply, summary_after, summary_before

__all__ = ["apply", "contributions", "rebuild", "summary_after", "summary_before"]
