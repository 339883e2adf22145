"""The back office of cooperation projects: the pipeline and a project's page, the expressions of interest,
the development achievements and the industries. Officers act; leaders and managers read. Every change goes
through projects.services, as from the portal and the API."""

from . import achievements, interest, projects, taxonomy  # noqa: F401  (each registers its ModelAdmins)
