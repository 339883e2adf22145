"""The office's five service areas, as presented on the home page (DESIGN.md). Each card also links
the registered areas (foreign_affairs.areas) that serve it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas import all_areas


@dataclass(frozen=True)
class ServiceArea:
    number: int
    title: str
    summary: str
    services: tuple[str, ...]


SERVICE_AREAS = (
    ServiceArea(
        1,
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
        _("International exchanges and friendship cities"),
        _(
            "Dignitary visits, overseas Chinese leader exchanges, friendship-city cooperation and foreign media "
            "interviews, planned with each area of the zone."
        ),
        (
            _("Calendar of international exchanges"),
            _("Friendship-city registry"),
            _("Interview requests from foreign media"),
        ),
    ),
    ServiceArea(
        5,
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


def service_areas() -> list[dict]:
    """The five areas, each with the links of the registered areas that serve it."""
    return [
        {
            "area": area,
            "links": [
                link
                for registered in all_areas()
                if registered.policy_area == area.number
                for link in registered.links
            ],
        }
        for area in SERVICE_AREAS
    ]
