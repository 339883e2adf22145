"""Back office of foreign organisations: the setting-up cases' queue, the registry, the annual reports and
their windows, the change requests and the cases' service levels. Officers act; leaders and managers read.
Every change goes through foreign_offices.services, as from the portal and the API."""

from . import cases, changes, registry, reports, settings  # noqa: F401  (each registers its ModelAdmins)
