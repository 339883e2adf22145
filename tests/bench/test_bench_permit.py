"""bench/bench_permit.py measures real permits: it issues them through the service and compares them
with a bare page (its figures themselves are timings, checked here only for their shape)."""

import pytest

from approvals.models import Permit
from approvals.workflow import State
from bench import bench_permit
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_permit_bench_issues_real_permits_and_reports_the_ratio(organization):
    applications = ApplicationFactory.create_batch(
        2 + bench_permit.WARMUP + 1, organization=organization, approved=True
    )
    ApplicationFactory(organization=organization, in_review=True)  # not approved: left alone

    figures = bench_permit.measure(2)

    assert Permit.objects.count() == len(applications)
    for application in applications:
        application.refresh_from_db()
        assert application.state == State.PERMIT_ISSUED
        assert application.permit.file.name.endswith(f"{application.reference}.pdf")
    assert figures["permits"] == 2 and figures["goal"] == 2.0
    assert figures["ratio"] == round(figures["permit_p50_ms"] / figures["bare_page_p50_ms"], 2)
    assert figures["permit_render_p50_ms"] < figures["permit_p50_ms"]
    assert figures["warm_up_ms"] > 0
    assert figures["content_floor_ratio"] == round(
        figures["content_floor_p50_ms"] / figures["bare_page_p50_ms"], 2
    )


def test_the_permit_bench_says_how_many_approved_applications_it_needs(organization):
    ApplicationFactory(organization=organization, approved=True)

    with pytest.raises(SystemExit, match="needs 7 approved applications, the database has 1"):
        bench_permit.measure(3)
