"""The reports' read replica (foreign_affairs.db_router): with REPORTS_READ_DATABASE = "replica", the
dashboard's and the exports' reads go through the "replica" alias and no write ever does; everything else,
and every read without it, stays on "default".

"replica" is a second connection to the test database itself (TEST MIRROR, tests/conftest.py), so the tests
are transactional: a replica connection cannot see rows another connection has not committed."""

import csv
import io

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from foreign_affairs.accounts.models import Organization
from foreign_affairs.db_router import ReportsReplicaRouter, reading_reports
from foreign_affairs.reports import services
from foreign_affairs.reports.models import JobState
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def replica(settings):
    settings.REPORTS_READ_DATABASE = "replica"


@pytest.fixture
def queries():
    """The SQL each alias ran inside the block: `with queries() as ran: ...; ran["replica"]`."""

    class Capture:
        def __enter__(self):
            self.captures = {
                alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
            }
            for capture in self.captures.values():
                capture.__enter__()
            return self

        def __exit__(self, *exc):
            for capture in self.captures.values():
                capture.__exit__(*exc)

        def __getitem__(self, alias) -> list[str]:
            return [query["sql"].lstrip().upper() for query in self.captures[alias].captured_queries]

    return Capture


def test_reads_inside_reading_reports_go_to_the_replica_and_writes_to_the_primary(replica, queries):
    organization = OrganizationFactory(name_en="Zhengzhou Trading")
    with queries() as ran, reading_reports():
        names = list(Organization.objects.values_list("name_en", flat=True))
        Organization.objects.filter(pk=organization.pk).update(name_en="Renamed")
    assert names == ["Zhengzhou Trading"]
    assert ran["replica"] and all(sql.startswith("SELECT") for sql in ran["replica"])
    assert [sql.split()[0] for sql in ran["default"]] == ["UPDATE"]


def test_reads_outside_reading_reports_or_in_a_transaction_stay_on_the_primary(replica, queries):
    OrganizationFactory()
    with queries() as ran:
        Organization.objects.count()
        with transaction.atomic(), reading_reports():
            # A replica would not see what this transaction has written.
            Organization.objects.update(name_en="In the transaction")
            assert Organization.objects.filter(name_en="In the transaction").count() == 1
    assert ran["replica"] == []
    assert len(ran["default"]) >= 3


def test_without_a_replica_report_reads_stay_on_the_primary(settings, queries):
    assert settings.REPORTS_READ_DATABASE == "default"
    OrganizationFactory()
    with queries() as ran, reading_reports():
        assert Organization.objects.count() == 1
    assert ran["replica"] == [] and ran["default"]


def test_migrations_run_on_the_primary_only():
    router = ReportsReplicaRouter()
    assert router.allow_migrate("default", "approvals") and not router.allow_migrate("replica", "approvals")


@pytest.mark.parametrize("path", ["/reports/", "/api/v1/reports/dashboard/"], ids=["page", "api"])
def test_the_dashboard_reads_its_figures_on_the_replica(
    replica, queries, client, manager, organization, path
):
    ApplicationFactory(organization=organization, in_review=True)
    client.force_login(manager)
    with queries() as ran:
        response = client.get(path)
    assert response.status_code == 200
    assert len(ran["replica"]) >= 10 and all(sql.startswith("SELECT") for sql in ran["replica"])


def test_an_export_reads_its_rows_on_the_replica_and_writes_its_job_on_the_primary(
    replica, queries, manager, organization
):
    application = ApplicationFactory(organization=organization, in_review=True)
    with queries() as ran:
        # Eager Celery (the tests' setting): the job runs when job_start's transaction commits.
        job = services.job_start(actor=manager, report="travel_approvals", format="csv")
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    rows = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [application.reference]
    assert ran["replica"] and not any(sql.startswith(WRITES) for sql in ran["replica"])
    assert any(sql.startswith("UPDATE") and "REPORTS_REPORTJOB" in sql for sql in ran["default"])
