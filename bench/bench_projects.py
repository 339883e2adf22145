"""The public catalogue of cooperation projects (/projects/) searched at 50 000 published projects.

    .venv/bin/python bench/bench_projects.py                    # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/bench_projects.py
    BENCH_PROJECTS=5000 BENCH_PROJECTS_RUNS=10 .venv/bin/python bench/bench_projects.py

A fresh database (SQLite in a temporary directory unless DATABASE_URL names one, which is emptied first),
migrated — the industries and, on PostgreSQL, the trigram index (pg_trgm, GIN) come with the projects'
migration 0002 — then BENCH_PROJECTS published projects in Chinese and English, bulk inserted with their
search text made by services.projects.search_text_for, as the services make it. Then, in one process as one
web worker would, for each search: the catalogue's first page as the view builds it (selectors.catalogue, the
paginator's count and the first 20 projects with their industries and public files), BENCH_PROJECTS_RUNS
times, and the whole page through Django's test client (the filter form, the template). On PostgreSQL the
slowest search's queries are explained (EXPLAIN ANALYZE) and printed.

Prints a table and writes the figures into bench/results.json under "projects_catalogue" and the database's
name, keeping the rest of the file (bench/run.py writes the other figures).
"""

import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "50000"))
RUNS = int(os.environ.get("BENCH_PROJECTS_RUNS", "20"))

# name, search term, filters: what a visitor types or picks.
SEARCHES = [
    ("no search (first page)", "", {}),
    ("filter: industry, no search", "", {"industry": "logistics"}),
    ("filter: channel and area, no search", "", {"channel": "hong_kong_macao", "area": "luoyang"}),
    ("Chinese word", "物流", {}),
    ("Chinese phrase", "冷链物流", {}),
    ("English word", "logistics", {}),
    ("partial word", "logist", {}),
    ("two words", "cold chain", {}),
    ("Chinese and English words", "郑州 robots", {}),
    ("rare word", "graphene", {}),
    ("word and filter", "logistics", {"country": "DE"}),
    ("no match", "zzyzx", {}),
]

# The generated catalogue: partners, products by industry, and the sentences they go into.
# fmt: off
PARTNERS = [
    ("DE", "德国", "Germany", "汉堡", "Hamburg"),
    ("DE", "德国", "Germany", "斯图加特", "Stuttgart"),
    ("FR", "法国", "France", "里昂", "Lyon"),
    ("IT", "意大利", "Italy", "米兰", "Milan"),
    ("JP", "日本", "Japan", "大阪", "Osaka"),
    ("KR", "韩国", "Korea", "首尔", "Seoul"),
    ("SG", "新加坡", "Singapore", "新加坡", "Singapore"),
    ("MY", "马来西亚", "Malaysia", "吉隆坡", "Kuala Lumpur"),
    ("HK", "中国香港", "Hong Kong, China", "香港", "Hong Kong"),
    ("MO", "中国澳门", "Macao, China", "澳门", "Macao"),
    ("RU", "俄罗斯", "Russia", "新西伯利亚", "Novosibirsk"),
    ("KZ", "哈萨克斯坦", "Kazakhstan", "阿拉木图", "Almaty"),
    ("PL", "波兰", "Poland", "华沙", "Warsaw"),
    ("LU", "卢森堡", "Luxembourg", "卢森堡", "Luxembourg"),
    ("US", "美国", "the United States", "里士满", "Richmond"),
    ("AU", "澳大利亚", "Australia", "墨尔本", "Melbourne"),
    ("AE", "阿联酋", "the United Arab Emirates", "迪拜", "Dubai"),
    ("GB", "英国", "the United Kingdom", "曼彻斯特", "Manchester"),
    ("NL", "荷兰", "the Netherlands", "鹿特丹", "Rotterdam"),
    ("TH", "泰国", "Thailand", "曼谷", "Bangkok"),
]
PRODUCTS = {
    "smart-terminals": [("智能手机模组", "smartphone modules"), ("可穿戴设备", "wearable devices")],
    "high-end-equipment": [("输变电设备", "power transmission equipment"), ("盾构机", "tunnel boring machines")],
    "automobiles": [("新能源汽车零部件", "new-energy vehicle parts"), ("电驱动系统", "electric drive systems")],
    "biomedicine": [("疫苗研发", "vaccine research"), ("医疗器械", "medical devices")],
    "logistics": [
        ("冷链物流", "cold chain logistics"), ("航空货运", "air cargo"), ("多式联运", "multimodal transport"),
    ],
    "international-trade": [("进口商品分拨", "distribution of imported goods"), ("粮食贸易", "grain trade")],
    "cross-border-e-commerce": [
        ("跨境电商海外仓", "cross-border e-commerce warehouses"), ("直播电商", "livestream sales"),
    ],
    "finance": [("供应链金融", "supply-chain finance"), ("跨境人民币结算", "cross-border RMB settlement")],
    "exhibitions": [("国际展会", "international trade fairs"), ("采购对接会", "buyers' matchmaking")],
    "equipment-manufacturing": [("矿山机械", "mining machinery"), ("轴承", "bearings")],
    "robots": [("工业机器人", "industrial robots"), ("机器人减速器", "robot reducers")],
    "new-materials": [("钼合金材料", "molybdenum alloys"), ("耐火材料", "refractory materials")],
    "research-and-design": [("联合研发中心", "joint research centres"), ("工业设计", "industrial design")],
    "cultural-tourism": [("文化旅游线路", "cultural tourism routes"), ("牡丹文化节", "peony culture festivals")],
    "service-outsourcing": [("服务外包交付中心", "outsourcing delivery centres"), ("数据标注", "data labelling")],
    "medical-tourism": [("中医药康养", "traditional Chinese medicine wellness"), ("康复理疗", "rehabilitation")],
    "creative-design": [("文创产品", "cultural and creative products"), ("品牌设计", "brand design")],
    "culture-and-media": [("数字展览", "digital exhibitions"), ("影视制作", "film production")],
    "art-trade": [("汴绣", "Bian embroidery"), ("木版年画", "woodblock New Year prints")],
}
AREAS = [("zhengzhou", "郑州", "Zhengzhou"), ("luoyang", "洛阳", "Luoyang"), ("kaifeng", "开封", "Kaifeng")]
TITLES = [
    (
        "{country_zh}{product_zh}企业寻求{area_zh}片区合作伙伴",
        "{product_en}: a company from {country_en} seeks partners in the {area_en} area",
    ),
    (
        "{area_zh}片区{product_zh}项目寻求{country_zh}投资",
        "{product_en} in the {area_en} area: investment from {country_en} sought",
    ),
    ("与{city_zh}合作建设{product_zh}中心", "A {product_en} centre with a partner in {city_en}"),
    ("{product_zh}技术引进与人才交流（{country_zh}）", "Technology and specialists in {product_en} from {country_en}"),
]
SENTENCES = [
    (
        "{country_zh}{city_zh}一家企业拟与{area_zh}片区企业合作开展{product_zh}业务，",
        "A company in {city_en}, {country_en}, proposes to work on {product_en} with an enterprise of the "
        "{area_en} area, ",
    ),
    ("项目总投资约 {amount} 万元，分两期建设，", "about {amount} ten-thousand yuan in two phases, "),
    (
        "依托中欧班列（郑州）和郑州—卢森堡“空中丝绸之路”开展运输，",
        "shipping by the China–Europe freight train (Zhengzhou) and the Zhengzhou–Luxembourg air link, ",
    ),
    (
        "现寻求技术、资金和市场渠道方面的合作伙伴。",
        "and looks for partners bringing technology, capital and market access.",
    ),
]
# fmt: on
CHANNELS = ["foreign_affairs", "overseas_chinese", "hong_kong_macao", "friendship_city"]
MODES = ["investment", "trade", "technology", "joint_venture", "talent", "other"]
STAGES = ["lead", "contacted", "negotiating", "signed", "implementing", "completed"]
CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY"]


# In the measuring process ---------------------------------------------------------------------------------


def seed(count: int) -> float:
    """Insert `count` published projects (with their industries) in bulk; return the seconds it took."""
    import time
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from projects.models import CooperationProject, Counter, Industry
    from projects.services.projects import search_text_for

    started = time.perf_counter()
    rng = random.Random(14)
    # The industries of migration 0002 (gone when `flush` emptied the database).
    import_module("projects.migrations._industries").seed(Industry)
    industries = {industry.code: industry for industry in Industry.objects.all()}
    by_area = {area: [i for i in industries.values() if i.area in (area, "")] for area, _zh, _en in AREAS}
    now = timezone.now()
    year = timezone.localdate().year
    Through = CooperationProject.industries.through
    with transaction.atomic():
        for start in range(0, count, 5000):
            batch, chosen = [], []
            for number in range(start + 1, min(count, start + 5000) + 1):
                code, country_zh, country_en, city_zh, city_en = rng.choice(PARTNERS)
                area, area_zh, area_en = rng.choice(AREAS)
                picked = rng.sample(by_area[area], k=rng.choice((1, 1, 2)))
                product_zh, product_en = rng.choice(PRODUCTS[picked[0].code])
                words = {
                    "country_zh": country_zh, "country_en": country_en, "city_zh": city_zh,
                    "city_en": city_en, "area_zh": area_zh, "area_en": area_en,
                    "product_zh": product_zh, "product_en": product_en, "amount": rng.randint(50, 90000),
                }  # fmt: skip
                title_zh, title_en = rng.choice(TITLES)
                sentences = [SENTENCES[0], *rng.sample(SENTENCES[1:3], k=rng.randint(0, 2)), SENTENCES[3]]
                description_zh = "".join(zh for zh, _en in sentences).format(**words)
                description_en = "".join(en for _zh, en in sentences).format(**words)
                if number % 2000 == 0:  # a rare word: 25 projects in 50 000
                    description_zh += "合作内容包括石墨烯导热膜。"
                    description_en += " The cooperation includes graphene heat-spreading films."
                published = now - timedelta(minutes=rng.randint(10, 3 * 365 * 24 * 60))
                amount = rng.choice((None, rng.randint(1, 500) * 100000))
                project = CooperationProject(
                    reference=f"HNCP-{year - 1 - number // 100000}-{number % 100000:05d}",
                    title_zh=title_zh.format(**words)[:200],
                    title_en=title_en.format(**words)[:200],
                    description_zh=description_zh,
                    description_en=description_en,
                    channel=rng.choice(CHANNELS),
                    ftz_area=area,
                    mode=rng.choice(MODES),
                    partner_country=code,
                    partner_city=city_en,
                    amount=amount,
                    currency=rng.choice(CURRENCIES) if amount else "",
                    stage=rng.choice(STAGES),
                    publication="published",
                    published_at=published,
                    created_at=published - timedelta(days=rng.randint(1, 30)),
                    stage_changed_at=published,
                )
                project.search_text = search_text_for(project, picked)
                batch.append(project)
                chosen.append(picked)
            CooperationProject.objects.bulk_create(batch, batch_size=1000)
            Through.objects.bulk_create(
                [
                    Through(cooperationproject_id=project.pk, industry_id=industry.pk)
                    for project, picked in zip(batch, chosen, strict=True)
                    for industry in picked
                ],
                batch_size=5000,
            )
        Counter.objects.update_or_create(prefix="HNCP", year=year - 1, defaults={"last": min(count, 99999)})
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE projects_cooperationproject")
            cursor.execute("ANALYZE projects_cooperationproject_industries")
    return time.perf_counter() - started


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _percentile(values: list[float], q: float) -> float:
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def first_page(term: str, filters: dict) -> tuple[int, list]:
    """What the catalogue view asks of the database for its first page: the count and 20 projects."""
    from django.conf import settings

    from projects import selectors

    paginator = selectors.CappedPaginator(
        selectors.catalogue(term=term, **filters), settings.PROJECTS_PAGE_SIZE, capped_search=bool(term)
    )
    page = paginator.get_page(1)
    projects = list(page.object_list)
    for project in projects:
        list(project.industries.all())  # prefetched: no query
    return page.paginator.count, projects


def measure() -> dict:
    import time
    import urllib.parse

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seconds = seed(PROJECTS)
    client = Client(HTTP_HOST="127.0.0.1")
    rows, explained = [], []
    for name, term, filters in SEARCHES:
        matches, _projects = first_page(term, filters)  # warm-up
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            first_page(term, filters)
            times.append((time.perf_counter() - started) * 1000)
        path = (
            "/projects/?" + urllib.parse.urlencode({"q": term, **filters})
            if (term or filters)
            else "/projects/"
        )
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
        page_times = []
        for _ in range(max(5, RUNS // 2)):
            started = time.perf_counter()
            client.get(path)
            page_times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            first_page(term, filters)
        rows.append(
            {
                "name": name,
                "term": term,
                "filters": filters,
                "matches": matches,
                "queries": len(queries.captured_queries),
                "p50_ms": round(_percentile(times, 50), 1),
                "p95_ms": round(_percentile(times, 95), 1),
                "page_p50_ms": round(_percentile(page_times, 50), 1),
                "page_p95_ms": round(_percentile(page_times, 95), 1),
            }
        )
        print(f"  {name}: p50 {rows[-1]['p50_ms']} ms ({matches} matches)", file=sys.stderr, flush=True)
        if connection.vendor == "postgresql":
            explained.append((rows[-1]["p50_ms"], name, [q["sql"] for q in queries.captured_queries]))
    plans = {}
    if explained:
        # The two slowest searches, query by query.
        with connection.cursor() as cursor:
            for _p50, name, statements in sorted(explained, reverse=True)[:2]:
                plans[name] = []
                for sql in statements:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plans[name].append("\n".join(line for (line,) in cursor.fetchall()))
    return {
        "database": connection.vendor,
        "projects": PROJECTS,
        "runs": RUNS,
        "seed_seconds": round(seconds, 1),
        "searches": rows,
        "plans": plans,
    }


# The driver -------------------------------------------------------------------------------------------------


def bench_projects(env: dict) -> dict:
    """Migrated database in `env` → the figures (runs the measuring process)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure"],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        raise SystemExit("the catalogue benchmark failed (see above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def print_projects(result: dict) -> None:
    print()
    print(
        f"Catalogue search at {result['projects']} published projects, {result['database']} "
        f"({result['runs']} runs; first page = count + {20} projects; page = the whole response)"
    )
    print(
        f"{'search':<38} {'term':<14} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'page p50':>9} {'page p95':>9}"
    )
    print("-" * 100)
    for row in result["searches"]:
        print(
            f"{row['name']:<38} {_pad(row['term'], 14)} {row['matches']:>8} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['page_p50_ms']:>9.1f} {row['page_p95_ms']:>9.1f}"
        )
    print(f"\nSeeded in {result['seed_seconds']} s.")


def write_results(result: dict) -> None:
    path = ROOT / "bench" / "results.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    figures = {key: value for key, value in result.items() if key != "plans"}
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.setdefault("projects_catalogue", {})[result["database"]] = figures
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    from bench.run import manage, prepare_environment

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch_dir:
        env = prepare_environment(Path(scratch_dir))
        print(f"Preparing: {env['DATABASE_URL'].split('@')[-1]}, collectstatic, migrate ...", flush=True)
        manage(env, "collectstatic", "--noinput")
        manage(env, "migrate", "--noinput")
        if env["DATABASE_URL"].startswith("postgres"):
            manage(env, "flush", "--noinput")
            manage(env, "migrate", "--noinput")
        print(f"Seeding {PROJECTS} projects and searching ...", flush=True)
        result = bench_projects(env)
    for name, plans in result["plans"].items():
        print(f"\nEXPLAIN ANALYZE, {name}:")
        for plan in plans:
            print(plan, end="\n\n")
    print_projects(result)
    write_results(result)
    print("Written to bench/results.json.")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")
        django.setup()
        print(json.dumps(measure(), ensure_ascii=False))
    else:
        main()
