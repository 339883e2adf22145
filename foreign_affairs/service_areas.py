"""The office's five service areas, as presented on the home page (DESIGN.md)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ServiceArea:
    number: int
    slug: str
    title: str
    summary: str
    services: tuple[str, ...]


SERVICE_AREAS = (
    ServiceArea(
        1,
        "approvals",
        _("Travel abroad on official business"),
        _(
            "Examination and approval of going abroad on business, and APEC Business Travel Cards for the "
            "zone's enterprises."
        ),
        (
            _("Apply online for a delegation's trip abroad"),
            _("Belt and Road fast track"),
            _("Permits with QR verification"),
            _("APEC Business Travel Card applications"),
        ),
    ),
    ServiceArea(
        2,
        "security",
        _("External security and foreign offices"),
        _(
            "Help for enterprises abroad when something happens, country advisories, and registration of "
            "foreign regional headquarters and representative offices in Zhengzhou."
        ),
        (
            _("Report an incident abroad"),
            _("Country risk advisories"),
            _("Register a representative office"),
        ),
    ),
    ServiceArea(
        3,
        "projects",
        _("Cooperation project information"),
        _(
            "Cooperation information from foreign affairs, overseas Chinese affairs, Hong Kong and Macao and "
            "friendship cities, collected, reviewed and published for the zone's industries."
        ),
        (
            _("Browse published cooperation projects"),
            _("Express interest in a project"),
        ),
    ),
    ServiceArea(
        4,
        "exchanges",
        _("International exchanges and friendship cities"),
        _(
            "Dignitary visits, overseas Chinese leader exchanges, friendship-city cooperation and foreign media "
            "interviews, planned with each area of the zone."
        ),
        (
            _("Calendar of international exchanges"),
            _("Friendship-city registry"),
        ),
    ),
    ServiceArea(
        5,
        "training",
        _("Training of foreign-affairs personnel"),
        _(
            "Courses for enterprise staff who work with other countries, including the pre-departure training "
            "every traveller needs."
        ),
        (
            _("Enrol in a course"),
            _("Pre-departure training certificates"),
        ),
    ),
)
