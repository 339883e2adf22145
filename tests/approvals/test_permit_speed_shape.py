"""What keeps a permit cheap to render (issue 18): the font, the templates, the URL patterns and the
translations loaded when a worker starts, not by its first permit (without foreign_affairs.warm_up the
first permit of a worker took 1.2 s, the next ones 0.15 s); the permit's stylesheet parsed once per
process; no flexbox or grid in its layout."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import clear_url_caches, get_resolver
from django.utils import timezone
from pypdf import PdfReader

from approvals import services
from approvals.workflow import State
from foreign_affairs.documents import pdf
from foreign_affairs.warm_up import warm_up
from tests.approvals.factories import ApplicationFactory

PERMIT_TEMPLATE = "approvals/pdf/permit.html"


@pytest.fixture
def fresh_process(monkeypatch):
    """The PDF module as a newly started process has it, with every fetch of the renderer recorded
    (a subclass of the portal's fetcher: it still serves the files)."""
    fetched = []

    class RecordingFetcher(pdf.PortalURLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "PortalURLFetcher", RecordingFetcher)
    for name, value in {
        "_font_config": None,
        "_base_css": None,
        "_fetcher": None,
        "_template_css": {},
    }.items():
        monkeypatch.setattr(pdf, name, value)
    return fetched


def _fonts(urls: list[str]) -> list[str]:
    return [url for url in urls if "/fonts/" in url]


@pytest.fixture
def permit(organization, officer, settings, django_capture_on_commit_callbacks):
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED
    return application.permit


def test_preload_fonts_loads_both_faces_so_that_the_first_document_loads_none(fresh_process):
    pdf.preload_fonts()

    assert sorted(Path(url).name for url in _fonts(fresh_process)) == [
        "NotoSansSC-Bold.subset.woff",
        "NotoSansSC-Regular.subset.woff",
    ]
    font_config = pdf._font_config
    assert font_config.strut_layouts, "a page was laid out with the font configuration"
    fresh_process.clear()

    document = pdf.render_pdf("documents/pdf_sample.html", {"title": "批件", "rows": []})

    assert _fonts(fresh_process) == []
    assert pdf._font_config is font_config
    assert pdf.embedded_fonts(document) >= {"Portal-Sans"}


def test_the_pdf_templates_are_every_template_in_a_pdf_folder():
    templates = pdf.pdf_templates()

    assert {
        "approvals/pdf/permit.html",
        "training/pdf/certificate.html",
        "apec_cards/pdf/decision_letter.html",
        "exchanges/pdf/programme.html",
        "reports/pdf/report.html",
    } <= set(templates)
    assert all("/pdf/" in name and name.endswith(".html") for name in templates)


def test_a_worker_warms_up_fonts_stylesheets_and_each_languages_urls(fresh_process):
    clear_url_caches()

    warm_up()

    assert len(_fonts(fresh_process)) == 2 and pdf._font_config.strut_layouts
    assert set(pdf._template_css) == set(pdf.pdf_templates())
    assert pdf._template_css[PERMIT_TEMPLATE] is not None  # permit.css, parsed
    # The reverse map of each language is built (the permit's verification link is reversed in both).
    assert set(get_resolver()._reverse_dict) >= {code for code, _name in settings.LANGUAGES}


def test_without_preloading_the_first_document_loads_the_font(fresh_process):
    pdf.render_pdf("documents/pdf_sample.html", {"title": "批件", "rows": []})

    assert len(_fonts(fresh_process)) == 2


def test_preload_fonts_stops_a_worker_whose_font_does_not_load(fresh_process, monkeypatch):
    # A base stylesheet without the @font-face rules: the page falls back to a system font.
    monkeypatch.setattr(pdf, "BASE_STYLESHEET", "approvals/pdf/permit.css")

    with pytest.raises(RuntimeError, match="did not load"):
        pdf.preload_fonts()


@pytest.mark.django_db
def test_the_permit_stylesheet_is_parsed_once_and_numbers_every_page(permit):
    stylesheet = pdf._template_stylesheet(PERMIT_TEMPLATE, pdf._shared()[0])
    assert stylesheet is not None
    assert pdf._template_stylesheet(PERMIT_TEMPLATE, pdf._shared()[0]) is stylesheet

    text = PdfReader(io.BytesIO(permit.file.open("rb").read())).pages[0].extract_text()
    # The running header (string-set from the permit number), the number line and the Chinese title.
    assert text.count(permit.number) == 2
    assert "因公出国（境）任务批件" in text and "河南省人民政府外事侨务办公室" in text
    assert permit.issued_at <= timezone.now()


def test_the_permit_is_laid_out_without_flexbox_or_grid():
    stylesheet = Path(finders.find(PERMIT_TEMPLATE.replace(".html", ".css"))).read_text()
    template = (Path(__file__).resolve().parents[2] / "approvals/templates" / PERMIT_TEMPLATE).read_text()
    source = stylesheet + template

    assert not re.search(r"display:\s*(inline-)?(flex|grid)", source)
    assert "<style" not in source, "a <style> in the template is parsed again for every permit"
