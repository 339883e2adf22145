"""Back office of overseas safety: the incident queue, the roster, the plans, the alerts, the registry of
sites and stationed staff. Officers act; leaders and managers read. Every change goes through
overseas_safety.services, as from the portal and the API."""

from . import alerts, duty, incidents, plans, sites  # noqa: F401  (each registers its ModelAdmins)
