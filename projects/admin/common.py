"""What the back-office pages of cooperation projects have of their own on top of
foreign_affairs.admin_pages: the tags of a project's stage, its publication and an interest, what the
timeline says of a document shown or hidden on the public page, and the template of the pages holding one
form."""

from django.utils.translation import gettext

from foreign_affairs.admin_pages import OfficePageAdmin, tag

from ..workflow import (
    INTEREST_TONES,
    PUBLICATION_TONES,
    STAGE_TONES,
    InterestState,
    Publication,
    Stage,
)


def stage_tag(value: str):
    return tag(Stage, STAGE_TONES, value, "stage")


def publication_tag(value: str):
    return tag(Publication, PUBLICATION_TONES, value, "publication")


def interest_tag(value: str):
    return tag(InterestState, INTEREST_TONES, value)


def document_switch(event, data) -> str:
    """A project's event of the timeline (foreign_affairs.admin_pages.timeline's `detail`): a document shown
    on the public page, or no longer."""
    if "public" in data and "document" in data:
        if data["public"]:
            return gettext("a document is shown on the public page")
        return gettext("a document is no longer shown on the public page")
    return ""


class ProjectPageAdmin(OfficePageAdmin):
    """The read-only pages of projects, achievements and interests; their forms are in sections
    (admin/projects/form_page.html)."""

    form_page_template = "admin/projects/form_page.html"
