"""`python manage.py seed_bulk --applications N`: many realistic travel applications, fast (CONTRACT.md).

For benchmarks and load tests. Rows are written in batches with COPY on PostgreSQL (bulk_create on other
databases), with no audit events and no notifications, spread over 200 organisations in the free trade
zone's areas, two years of dates and every state consistent with its dates (approvals.bulk_seed). Each
run adds N applications; organisations and travellers are reused. From 100 000 applications on
PostgreSQL the loaded tables' secondary indexes and foreign keys are built again once at the end
(approvals.bulk_defer): run it while the portal is not serving.
"""

import random
import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from approvals.bulk_defer import indexes_deferred
from approvals.bulk_insert import after_seed, batch_write, writer_for_database
from approvals.bulk_seed import Planner
from approvals.models import TravelApplication


class Command(BaseCommand):
    help = "Add N realistic travel applications with COPY or bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, required=True, help="How many to add.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
        parser.add_argument("--batch", type=int, default=50_000, help="Applications per transaction.")

    def handle(self, *args, applications, seed, batch, **options):
        started = time.perf_counter()
        rng = random.Random(seed + TravelApplication.objects.count())
        planner = Planner.for_bulk_organizations(rng)
        writer = writer_for_database()
        sizes = [min(batch, applications - start) for start in range(0, applications, batch)]
        done = rows = 0
        # The next batch is planned in a second thread while the database writes this one: planning
        # touches no database, and the database driver lets go of the GIL while it waits.
        with indexes_deferred(applications), ThreadPoolExecutor(max_workers=1) as planning:
            upcoming = [planning.submit(_planned, planner, writer, size) for size in sizes[:1]]
            for index in range(len(sizes)):
                planned = upcoming.pop().result()
                if index + 1 < len(sizes):
                    upcoming.append(planning.submit(_planned, planner, writer, sizes[index + 1]))
                batch_write(planned, writer)
                done += len(planned.applications)
                rows += planned.rows
                self.stdout.write(
                    _("%(done)d/%(total)d applications, %(rows)d rows, %(seconds).1f s")
                    % {
                        "done": done,
                        "total": applications,
                        "rows": rows,
                        "seconds": time.perf_counter() - started,
                    }
                )
        after_seed()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Added %(count)d travel applications (%(rows)d rows) in %(seconds).1f s, "
                    "%(rate).0f applications per second; %(total)d in all."
                )
                % {
                    "count": applications,
                    "rows": rows,
                    "seconds": seconds,
                    "rate": applications / seconds if seconds else 0,
                    "total": TravelApplication.objects.count(),
                }
            )
        )


def _planned(planner, writer, size):
    batch = planner.batch(size)
    writer.prepare(batch)
    return batch
