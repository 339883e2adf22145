"""What a worker process loads when it starts (Celery's worker_process_init, foreign_affairs.celery) rather
than with its first task.

Django and WeasyPrint load lazily: left alone, the first permit of a worker imported every URL module (its
verification link is reversed), compiled the permit's template, read the country names of both languages
and loaded the font — 1.2 s, against 0.15 s for the next permits (issue 18).
"""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from foreign_affairs.documents.pdf import preload_fonts, preload_templates
from foreign_affairs.security.countries import join_names


def warm_up() -> None:
    """Load the PDF fonts (a font that cannot be loaded raises RuntimeError: the worker stops at start),
    the PDF templates and their stylesheets, and, in each language, the URL patterns and translations."""
    preload_fonts()
    preload_templates()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018 (imports every urls module; this language's map)
            join_names("CN")
