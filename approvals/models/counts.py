"""How many applications each organisation has in each state, kept by the database itself.

Lists count their rows on every request: at a million applications a `COUNT(*)` over the office's whole
list, or the per-state counts of its tabs, reads the whole table (150 ms and growing). These counts are
kept by triggers on the applications' table (migration 0014), so they are exact whatever writes the rows —
the services, the admin, `seed_bulk`'s COPY, a fixture, a `DELETE` — and cost one small upsert when a
row's state or organisation changes. Read them through `approvals.counting`.
"""

from django.db import models


class ApplicationCount(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the triggers keep it; an organisation with applications cannot be deleted
        related_name="+",
    )
    state = models.CharField(max_length=50)
    n = models.BigIntegerField(default=0)

    kept_by_triggers = True  # never written by the application (tests' demo replay leaves it to the triggers)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "state"], name="application_count_unique")
        ]

    def __str__(self):
        return f"{self.organization_id}/{self.state}: {self.n}"
