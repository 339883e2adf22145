"""What other areas may ask the security area (DESIGN.md: areas talk through small named functions)."""

from .countries import destination_choices, iso_codes
from .models import AdvisoryLevel, CountryAdvisory


def advisory_levels(countries) -> dict[str, str]:
    """{"XX": level} for the given ISO codes; countries without an advisory are "low". One query."""
    codes = {str(code).upper() for code in countries}
    levels = dict.fromkeys(codes, AdvisoryLevel.LOW.value)
    levels.update(CountryAdvisory.objects.filter(country__in=codes).values_list("country", "level"))
    return levels


def advised_destinations(language: str | None = None) -> list[tuple[str, str]]:
    """The destinations of countries.destination_choices with a raised advisory level beside each name
    ("叙利亚 Syria · 高风险"). One query."""
    return destination_choices(language, levels=advisory_levels(iso_codes()))
