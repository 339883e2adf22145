"""`make bench`'s scale figures: the pages it measures exist, and each goal is judged from the medians."""

from urllib.parse import urlsplit

from django.urls import resolve

from bench.bench_scale import PAGES, verdicts


def test_every_measured_page_exists():
    for _name, path, _account, _concurrency, _goal in PAGES:
        resolve(urlsplit(path() if callable(path) else path).path)


def test_the_computed_dashboard_asks_for_a_new_period_each_time():
    computed = next(page[1] for page in PAGES if page[0] == "dashboard, computed")
    paths = [computed() for _ in range(50)]
    assert len(set(paths)) == 50
    assert all(path.startswith("/reports/?date_from=") for path in paths)


def row(backend, page, size, p50):
    return {"backend": backend, "page": page, "applications": size, "p50_ms": p50, "errors": 0}


def test_the_ratios_and_limits_are_judged_at_the_largest_size():
    rows = [
        row("postgresql", "officer queue", 1_000, 50.0),
        row("postgresql", "officer queue", 100_000, 70.0),  # 1.4×, shown but judged only at the largest size
        row("postgresql", "officer queue", 1_000_000, 55.0),
        row("postgresql", "dashboard, 1 manager", 1_000_000, 160.0),
        row("postgresql", "dashboard, 4 managers", 1_000_000, 300.0),
    ]
    for page in ("API list", "office applications page"):
        rows += [row("postgresql", page, size, 10.0) for size in (1_000, 100_000, 1_000_000)]
    for page in ("dashboard, 1 manager", "dashboard, 4 managers"):
        rows += [row("postgresql", page, size, 10.0) for size in (1_000, 100_000)]
    rows.append(row("postgresql", "dashboard, computed", 1_000_000, 900.0))  # printed, not judged
    found = {verdict["figure"]: verdict for verdict in verdicts(rows)}
    assert not [figure for figure in found if "computed" in figure]
    assert found["officer queue: p50 100,000 / 1,000"] == {
        "backend": "postgresql",
        "figure": "officer queue: p50 100,000 / 1,000",
        "value": 1.4,
        "goal": "",
        "met": None,
    }
    assert found["officer queue: p50 1,000,000 / 1,000"]["value"] == 1.1
    assert found["officer queue: p50 1,000,000 / 1,000"]["met"] is True
    assert found["dashboard, 1 manager: p50 at 1,000,000"]["met"] is False  # 160 ms > 150 ms
    four = found["dashboard, 4 managers / dashboard, 1 manager at 1,000,000"]
    assert (four["value"], four["met"]) == (1.88, True)
