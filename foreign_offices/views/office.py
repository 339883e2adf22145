"""The registered foreign organisation's own pages under /foreign-offices/my/: its registry entry, what is
due (this year's annual report, change requests waiting for the office), the history of every field of the
entry, and its public listing.

Only the members of the organisation see them: anyone else signed in (an enterprise, an officer, another
foreign organisation) gets 404, never 403. Every write goes through foreign_offices.services; a refusal
comes back beside the fields (ValidationError), as a message on the page (StateConflict) or as a refusal
page (PermissionDenied, 403).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST
from django_countries.fields import CountryField

from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors
from foreign_affairs.page_actions import problem, refusal_message
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..forms.office import ListingForm
from ..models import AnnualReport, ForeignOrganisation
from ..services import annual, registry
from ..workflow import (
    CHANGE_STATE_TONES,
    ORGANISATION_STATE_TONES,
    REPORT_STATE_TONES,
    ChangeState,
    OrganisationState,
    ReportState,
)

HISTORY_PAGE_SIZE = 20
HOME = ("foreign_offices:my_office", gettext_lazy("Our office"))


# Shared by the organisation's pages (views.reports, views.changes) --------------------------------------------


def own_organisation(request) -> ForeignOrganisation:
    """The registry entry of the signed-in user's organisation; 404 for anyone who has none."""
    organisation = selectors.organisation_of(request.user)
    if organisation is None:
        raise Http404
    return organisation


def refused(request, error: PermissionDenied, *, back=None, back_label: str = ""):
    return problem(
        request,
        _("You are not allowed to do this"),
        refusal_message(error),
        status=403,
        back=back,
        back_label=back_label,
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def field_label(name: str) -> str:
    """A registry field's name as the history shows it ("Address in Henan")."""
    try:
        return capfirst(ForeignOrganisation._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def value_text(name: str, text) -> str:
    """A value as services.registry.field_text stored it (in the history and in a change request), made
    readable: a choice's label, a country's name, a date in the reader's format, a person's name."""
    if text is None or text == "":
        return "—"
    text = str(text)
    try:
        field = ForeignOrganisation._meta.get_field(name)
    except FieldDoesNotExist:
        return text
    if isinstance(field, models.ForeignKey):
        # "pk:name": the name the entry had then (the person may have changed since).
        return text.partition(":")[2] or text
    if isinstance(field, CountryField):
        return country_name(text)
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return pgettext("a yes/no value", "Yes") if text == "True" else pgettext("a yes/no value", "No")
    if isinstance(field, models.DateField):
        parsed = parse_date(text)
        return date_format(parsed, "DATE_FORMAT") if parsed else text
    return text


def state_tag_tone(tones: dict, state: str) -> str:
    return tones.get(state, "neutral")


def report_due(organisation: ForeignOrganisation, today: date | None = None) -> dict:
    """This year's annual report for the organisation: the year, its window, the report if filed, and the
    status — "filed", "not_owed" (registered after the year ended, or closed), "not_open" (filing has not
    opened yet), "open" (filing is open, not due yet) or "overdue"."""
    today = today or timezone.localdate()
    year = annual.current_report_year(today)
    window = annual.window_for(year)
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    end = date(year, 12, 31)
    owed = (
        organisation.registered_on is not None
        and organisation.registered_on <= end
        and (organisation.closed_on is None or organisation.closed_on > end)
        and organisation.state != OrganisationState.CLOSED
    )
    if report is not None:
        status = "filed"
    elif not owed:
        status = "not_owed"
    elif today < window.opens_on:
        status = "not_open"
    elif today <= window.due_on:
        status = "open"
    else:
        status = "overdue"
    return {
        "year": year,
        "window": window,
        "report": report,
        "status": status,
        "days_overdue": (today - window.due_on).days if status == "overdue" else 0,
        "report_tone": state_tag_tone(REPORT_STATE_TONES, report.state) if report else "",
    }


# The office page -----------------------------------------------------------------------------------------------


def _history_rows(page) -> list[dict]:
    return [
        {
            "change": change,
            "label": field_label(change.field),
            "old": value_text(change.field, change.old_value),
            "new": value_text(change.field, change.new_value),
        }
        for change in page.object_list
    ]


def _office_page(request, organisation, *, listing_form=None, status=200):
    history = Paginator(selectors.history_of(organisation), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    waiting = list(
        selectors.change_requests_for(request.user).filter(
            organisation=organisation, state=ChangeState.SUBMITTED
        )
    )
    due = report_due(organisation)
    # Reports of earlier years returned for changes (this year's shows in `due`).
    returned = list(
        selectors.reports_for(request.user)
        .filter(organisation=organisation, state=ReportState.RETURNED)
        .exclude(year=due["year"])
        .order_by("-year")
    )
    closed = organisation.state == OrganisationState.CLOSED
    return render(
        request,
        "foreign_offices/office/office.html",
        {
            "organisation": organisation,
            "state_tone": state_tag_tone(ORGANISATION_STATE_TONES, organisation.state),
            "country": country_name(organisation.country),
            "closed": closed,
            "due": due,
            "waiting": waiting,
            "change_tone": CHANGE_STATE_TONES[ChangeState.SUBMITTED],
            "returned": returned,
            "history": history,
            "history_rows": _history_rows(history),
            "listing_form": None if closed else (listing_form or ListingForm.for_organisation(organisation)),
        },
        status=status,
    )


@login_required
@require_GET
def my_office(request):
    return _office_page(request, own_organisation(request))


@login_required
@require_GET
def my_office_entry(request, pk):
    """The same page under the entry's number (notifications link to it); another entry's number is 404."""
    organisation = own_organisation(request)
    if organisation.pk != pk:
        raise Http404
    return _office_page(request, organisation)


@login_required
@require_POST
def listing_update(request):
    """The organisation's consent to the public directory, its website and descriptions."""
    organisation = own_organisation(request)
    form = ListingForm(request.POST)
    if form.is_valid():
        try:
            organisation = registry.profile_update(
                organisation=organisation, actor=request.user, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect("foreign_offices:my_office")
        except PermissionDenied as error:
            return refused(request, error)
        else:
            if organisation.list_publicly:
                messages.success(
                    request,
                    _("Saved. Your office is listed in the public directory with what is shown here."),
                )
            else:
                messages.success(request, _("Saved. Your office is not listed in the public directory."))
            return redirect(f"{reverse('foreign_offices:my_office')}#listing")
    return _office_page(request, organisation, listing_form=form, status=400)


urlpatterns = [
    path("my/", my_office, name="my_office"),
    path("my/<int:pk>/", my_office_entry, name="my_office_entry"),
    path("my/listing/", listing_update, name="listing_update"),
]
