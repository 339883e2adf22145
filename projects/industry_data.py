"""The industries the free trade zone's overall plan names for each area: written by migration 0002 and
again after every migrate when the table is empty (a `flush` empties it: tests, benchmarks)."""


def ensure_industries(sender, **kwargs) -> None:
    """Run after every migrate (`after_migrate` in projects/area.py)."""
    from .migrations import _industries
    from .models import Industry

    if not Industry.objects.exists():
        _industries.seed(Industry)
