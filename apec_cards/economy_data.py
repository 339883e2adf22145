"""The 21 APEC economies (DOMAIN.md): 19 full participants that pre-clear card holders, China being the
home economy of the office's applicants, and two transitional members that give fast-track lanes only.

Loaded by migration 0002 and made sure of after every `migrate` (and after a test database is flushed):
missing rows are created, existing ones — which officers may have corrected — are left alone.
"""

ECONOMIES = [
    # code, Chinese name, English name, participation
    ("AU", "澳大利亚", "Australia", "full"),
    ("BN", "文莱", "Brunei Darussalam", "full"),
    ("CA", "加拿大", "Canada", "transitional"),
    ("CL", "智利", "Chile", "full"),
    ("CN", "中国", "China", "full"),
    ("HK", "中国香港", "Hong Kong, China", "full"),
    ("ID", "印度尼西亚", "Indonesia", "full"),
    ("JP", "日本", "Japan", "full"),
    ("KR", "韩国", "Korea", "full"),
    ("MY", "马来西亚", "Malaysia", "full"),
    ("MX", "墨西哥", "Mexico", "full"),
    ("NZ", "新西兰", "New Zealand", "full"),
    ("PG", "巴布亚新几内亚", "Papua New Guinea", "full"),
    ("PE", "秘鲁", "Peru", "full"),
    ("PH", "菲律宾", "The Philippines", "full"),
    ("RU", "俄罗斯", "Russia", "full"),
    ("SG", "新加坡", "Singapore", "full"),
    ("TW", "中国台北", "Chinese Taipei", "full"),
    ("TH", "泰国", "Thailand", "full"),
    ("US", "美国", "United States", "transitional"),
    ("VN", "越南", "Viet Nam", "full"),
]


def ensure_economies(model) -> int:
    """Create the economies that are missing; returns how many were created."""
    created = 0
    for position, (code, name_zh, name_en, participation) in enumerate(ECONOMIES, start=1):
        _economy, was_created = model.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "participation": participation,
                "is_home": code == "CN",
                "position": position,
            },
        )
        created += was_created
    return created


def ensure_after_migrate(sender, **kwargs) -> None:
    """Run after every migrate (`after_migrate` in apec_cards/area.py)."""
    from .models import Economy

    ensure_economies(Economy)
