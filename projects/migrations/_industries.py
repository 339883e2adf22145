"""The industries of the zone's overall plan (migration 0002 and projects.industry_data write them)."""

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


def seed(Industry) -> int:
    created = 0
    for order, (code, zh, en, area, priority) in enumerate(INDUSTRIES, start=1):
        _industry, was_created = Industry.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "area": area, "priority": priority, "order": order}
        )
        created += was_created
    return created
