"""The catalogue's trigram index (PostgreSQL only: pg_trgm, GIN on the search text; SQLite searches without
it) and the industries the free trade zone's overall plan names for each area."""

from django.db import migrations

INDUSTRIES = [
    # code, Chinese, English, area ("" for several areas), priority
    ("smart-terminals", "智能终端", "Smart terminals", "zhengzhou", True),
    ("high-end-equipment", "高端装备", "High-end equipment", "zhengzhou", True),
    ("automobiles", "汽车制造", "Automobiles", "zhengzhou", False),
    ("biomedicine", "生物医药", "Biomedicine", "zhengzhou", True),
    ("logistics", "现代物流", "Modern logistics", "", True),
    ("international-trade", "国际商贸", "International trade", "zhengzhou", False),
    ("cross-border-e-commerce", "跨境电子商务", "Cross-border e-commerce", "zhengzhou", True),
    ("finance", "现代金融", "Modern finance", "zhengzhou", False),
    ("exhibitions", "会展", "Exhibitions", "zhengzhou", False),
    ("equipment-manufacturing", "装备制造", "Equipment manufacturing", "luoyang", False),
    ("robots", "机器人", "Robots", "luoyang", False),
    ("new-materials", "新材料", "New materials", "luoyang", False),
    ("research-and-design", "研发设计", "Research, development and design", "luoyang", False),
    ("cultural-tourism", "文化旅游", "Cultural tourism", "luoyang", False),
    ("service-outsourcing", "服务外包", "Service outsourcing", "kaifeng", False),
    ("medical-tourism", "医疗旅游", "Medical tourism", "kaifeng", False),
    ("creative-design", "创意设计", "Creative design", "kaifeng", False),
    ("culture-and-media", "文化传媒", "Culture and media", "kaifeng", False),
    ("art-trade", "艺术品交易", "Art trade", "kaifeng", False),
]

INDEXES = [
    ("projects_cooperationproject", "project_search_trgm_idx"),
    ("projects_achievement", "achievement_search_trgm_idx"),
]


def seed_industries(apps, schema_editor):
    Industry = apps.get_model("projects", "Industry")
    for order, (code, zh, en, area, priority) in enumerate(INDUSTRIES, start=1):
        Industry.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "area": area, "priority": priority, "order": order}
        )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(seed_industries, migrations.RunPython.noop),
    ]
