"""The permit against its floor: render, store and issue a permit through the real service, next to a bare
WeasyPrint page with the same font, in one process (issue 18's goal: the permit ≤ 2× the bare page).

    # a database with approved applications (make bench's, or seed_demo + seed_bulk), then:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/bench_permit.py
    BENCH_PERMITS=40 .venv/bin/python bench/bench_permit.py

From bench/run.py, with the environment of the other in-process figures:

    from bench.bench_permit import bench_permit, print_permit
    permit_ratio = bench_permit(env)     # a dict of figures (below)
    print_permit(permit_ratio)

The measuring process starts as a PDF worker does (foreign_affairs.warm_up.warm_up(), timed), issues one
permit (timed: the first permit of a worker, which must load nothing more), then WARMUP + BENCH_PERMITS
permits, each the whole of approvals.services.permit_issue (render, store the file, the transition, the audit
event and the notifications, committed), each followed by one bare page: the portal's two @font-face rules of
Noto Sans SC and four lines of Chinese, with one FontConfiguration and one parsed stylesheet reused (as
documents.pdf does). Medians after the warm-up, and their ratio next to the goal.

Beside them, the content floor: the HTML of the last permit rendered with the bare page's stylesheet only
(no layout rules, no store, no transition): what WeasyPrint takes for the permit's text and tables alone.
Issuing consumes approved applications: the database needs BENCH_PERMITS + WARMUP + 1 of them.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERMIT_COUNT = int(os.environ.get("BENCH_PERMITS", "40"))
WARMUP = 3
GOAL = 2.0

BARE_CSS = """
@font-face { font-family: "Bare Sans"; src: url(%(regular)s) format("woff"); font-weight: 400; }
@font-face { font-family: "Bare Sans"; src: url(%(bold)s) format("woff"); font-weight: 700; }
@page { size: A4; margin: 20mm; }
html { font-family: "Bare Sans", sans-serif; font-size: 10.5pt; }
"""
BARE_HTML = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>
<h1>因公出国（境）任务批件</h1>
<p>河南省人民政府外事侨务办公室</p>
<p>出访单位：郑州市某某科技有限公司。出访期间：2026年5月1日至2026年5月10日。</p>
<p>扫描二维码或访问以下网址核验本批件。</p>
</body></html>"""


# In the measuring process ---------------------------------------------------------------------------------


def _bare_page():
    """A function rendering a bare WeasyPrint page with the portal's font: the floor a permit is compared
    with (or other HTML with the same stylesheet). One FontConfiguration and one parsed stylesheet, reused,
    as documents.pdf does."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = {
        weight: Path(finders.find(f"fonts/NotoSansSC-{weight.title()}.subset.woff")).as_uri()
        for weight in ("regular", "bold")
    }
    font_config = FontConfiguration()
    css = CSS(string=BARE_CSS % fonts, font_config=font_config)
    return lambda html=BARE_HTML: HTML(string=html).write_pdf(stylesheets=[css], font_config=font_config)


def _timed(action) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * percent / 100) - 1)]


def measure(count: int = PERMIT_COUNT) -> dict:
    """The figures, in this process (Django set up, a database with approved applications).

    Permits and bare pages alternate, so that both see the same load on a shared machine. The time spent
    in render_pdf inside each permit is recorded too (a wrapper that calls through), to split the permit
    into rendering and the rest (storing the file, the transition, the audit event, the notifications).
    CPU times are given beside wall times: they leave out the machine's other processes (and PostgreSQL).
    """
    from django.template.loader import render_to_string

    from approvals.models import DisclosureKind, DisclosureOutcome, TravelApplication
    from approvals.services import permit_issue
    from approvals.services import permits as permit_services
    from foreign_affairs.warm_up import warm_up

    ids = list(
        TravelApplication.objects.filter(state="approved", departure_date__isnull=False)
        # A trip under public notice gets its permit when the notice ends: permit_issue renders nothing.
        .exclude(disclosures__kind=DisclosureKind.TRIP, disclosures__outcome=DisclosureOutcome.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)[: count + WARMUP + 1]
    )
    if len(ids) < count + WARMUP + 1:
        raise SystemExit(
            f"bench_permit needs {count + WARMUP + 1} approved applications, the database has {len(ids)}"
        )
    preload_ms = _timed(warm_up)[0]
    first_ms = _timed(lambda: permit_issue(application_id=ids[0]))[0]

    renders, last = [], []
    render_pdf = permit_services.render_pdf

    def timed_render(template_name, context=None, **kwargs):
        started = time.perf_counter()
        try:
            return render_pdf(template_name, context, **kwargs)
        finally:
            renders.append((time.perf_counter() - started) * 1000)
            last[:] = [(template_name, context)]  # its HTML is made after the permit's timing

    permit_services.render_pdf = timed_render
    bare = _bare_page()
    permits, bares, floors = [], [], []
    try:
        for index, pk in enumerate(ids[1:]):
            permit = _timed(lambda pk=pk: permit_issue(application_id=pk))
            page = _timed(bare)
            html = render_to_string(*last[0])
            floor = _timed(lambda html=html: bare(html))
            if index >= WARMUP:
                permits.append(permit)
                bares.append(page)
                floors.append(floor[0])
    finally:
        permit_services.render_pdf = render_pdf
    renders = renders[WARMUP:]
    permit_p50, bare_p50 = statistics.median(w for w, _ in permits), statistics.median(w for w, _ in bares)
    permit_cpu, bare_cpu = statistics.median(c for _, c in permits), statistics.median(c for _, c in bares)
    return {
        "name": "permit: render, store and issue vs a bare page, same font",
        "permits": count,
        "warm_up_ms": round(preload_ms, 1),
        "first_permit_ms": round(first_ms, 1),
        "permit_p50_ms": round(permit_p50, 1),
        "permit_p95_ms": round(_p([w for w, _ in permits], 95), 1),
        "permit_render_p50_ms": round(statistics.median(renders), 1),
        "permit_rest_p50_ms": round(
            statistics.median(w - r for (w, _), r in zip(permits, renders, strict=True)), 1
        ),
        "bare_page_p50_ms": round(bare_p50, 1),
        "bare_page_p95_ms": round(_p([w for w, _ in bares], 95), 1),
        "permit_cpu_p50_ms": round(permit_cpu, 1),
        "bare_page_cpu_p50_ms": round(bare_cpu, 1),
        "content_floor_p50_ms": round(statistics.median(floors), 1),
        "content_floor_ratio": round(statistics.median(floors) / bare_p50, 2),
        "ratio": round(permit_p50 / bare_p50, 2),
        "render_ratio": round(statistics.median(renders) / bare_p50, 2),
        "cpu_ratio": round(permit_cpu / bare_cpu, 2),
        "goal": GOAL,
        "met": permit_p50 / bare_p50 <= GOAL,
    }


# In bench/run.py's process -------------------------------------------------------------------------------


def bench_permit(env: dict, count: int = PERMIT_COUNT) -> dict:
    """Run measure() in a fresh process (as a new PDF worker) with `env`; return its figures."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(count)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"},
    )
    if done.returncode:
        raise SystemExit(f"bench_permit failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_permit(result: dict) -> None:
    print(
        f"{'permit vs bare page, same font':<46} permit p50 {result['permit_p50_ms']:.1f} ms "
        f"(render {result['permit_render_p50_ms']:.1f}, the rest {result['permit_rest_p50_ms']:.1f}), "
        f"bare page p50 {result['bare_page_p50_ms']:.1f} ms: {result['ratio']:.2f}× "
        f"(goal ≤ {result['goal']:.0f}×{', met' if result['met'] else ', NOT met'}; "
        f"render alone {result['render_ratio']:.2f}×, CPU {result['cpu_ratio']:.2f}×); first permit "
        f"{result['first_permit_ms']:.0f} ms after the worker's warm-up {result['warm_up_ms']} ms"
    )
    print(
        f"{'  content floor: the permit, bare stylesheet':<46} {result['content_floor_p50_ms']:.1f} ms, "
        f"{result['content_floor_ratio']:.2f}× the bare page (the permit's text and tables alone)"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")
        import django

        django.setup()
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        figures = bench_permit(dict(os.environ))
        print(json.dumps(figures, indent=2))
        print_permit(figures)
