"""The benchmark's load generator counts and measures correctly (make bench relies on it)."""

from urllib.parse import urlsplit

import pytest

from bench.load import Result, run


def test_percentiles_are_taken_from_the_sorted_latencies():
    result = Result("x", "/", latencies_ms=[float(n) for n in range(100, 0, -1)], requests=100, seconds=2.0)
    assert (result.percentile(50), result.percentile(95), result.rps) == (50.0, 95.0, 50.0)
    assert result.summary()["p95_ms"] == 95.0


@pytest.mark.django_db(transaction=True)
def test_a_short_run_against_the_live_server(live_server):
    address = urlsplit(live_server.url)
    ok = run("floor", address.hostname, address.port, "/robots.txt", requests=30, concurrency=3, warmup=2)
    missing = run(
        "missing", address.hostname, address.port, "/no-such-page/", requests=5, concurrency=1, warmup=0
    )
    assert (ok.requests, ok.errors, len(ok.latencies_ms)) == (30, 0, 30)
    assert 0 < ok.percentile(50) <= ok.percentile(95)
    assert (missing.requests, missing.errors) == (5, 5)
    # A function gives each request its own path (bench_scale's computed dashboard).
    asked = []

    def next_path():
        asked.append(f"/robots.txt?n={len(asked)}")
        return asked[-1]

    varied = run("varied", address.hostname, address.port, next_path, requests=4, concurrency=2, warmup=1)
    assert (varied.requests, varied.errors, len(set(asked))) == (4, 0, 5)
