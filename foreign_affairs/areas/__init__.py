"""How an area plugs into the portal: one registration per app, in its `area.py`.

    # approvals/area.py
    from foreign_affairs import areas

    areas.register(areas.Area(name="approvals", title=..., policy_area=1, nav=[...], start_page=[...],
                              reports=[...], panels=[...], demo=areas.DemoData(...), verification=[...],
                              permissions={...}, audit_labels={...}, periodic=[...], api_enums={...}))

`area.py` modules are imported once at start-up (AreasConfig.ready), the way Django's admin imports
`admin.py`. The shared apps read what the areas registered — the navigation, the start page, reports
and dashboard panels, demo data, verification codes, role permissions, audit labels, periodic jobs —
and never import an area themselves.
"""

from .registry import (
    NAV_PUBLIC,
    NAV_WORK,
    AlreadyRegistered,
    Area,
    DemoData,
    NavItem,
    PeriodicJob,
    ServiceLink,
    VerificationKind,
    all_areas,
    get,
    register,
    unregister,
)

__all__ = [
    "NAV_PUBLIC",
    "NAV_WORK",
    "AlreadyRegistered",
    "Area",
    "DemoData",
    "NavItem",
    "PeriodicJob",
    "ServiceLink",
    "VerificationKind",
    "all_areas",
    "get",
    "register",
    "unregister",
]
