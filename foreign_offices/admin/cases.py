"""The setting-up cases' queue and a case's page in the back office.

The queue opens on the open cases, the earliest deadline first, each row with its organisation, country,
kind, state, officer and deadline (red with the days once it has passed), in a fixed number of queries.
The page is read-only: its buttons and forms (the transitions, with the registration's details on
"register" and the date on "open"; assigning; a note; a document; the case's details) call
foreign_offices.services.cases, which check the role, lock the row, audit and notify; a refusal becomes a
message. Officers also enter an enquiry taken by telephone ("add").
"""

import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import (
    days_late,
    form_error_messages,
    labelled,
    overdue_badge,
    short_date,
    tag,
)
from foreign_affairs.admin_queue import (
    REFUSALS,
    AssignedFilter,
    AssignMixin,
    audit_url,
    report_refusal,
)
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..filters import (
    CASE_SEARCH_HELP,
    CaseAreaFilter,
    CaseOverdueFilter,
    CaseStateFilter,
    CountryFilter,
)
from ..models import ForeignOrganisation, SetupCase
from ..services import cases as services
from ..workflow import (
    ACTION_LABELS,
    CASE_NEXT_STEP,
    CASE_STATE_TONES,
    CASE_TRANSITIONS,
    OPEN_CASE_STATES,
    CaseState,
    EnquirySource,
)
from .common import OfficePageAdmin
from .forms import CaseDetailsForm, DocumentForm, NoteForm, OfficeEnquiryForm, OpenForm, RegisterForm

logger = logging.getLogger(__name__)

# The transitions that complete the case as they run: each has its own small form on the page.
STEP_FORMS = {"register": RegisterForm, "open": OpenForm}


def case_tag(state: str):
    return tag(CaseState, CASE_STATE_TONES, state)


def step_possible(case, user, name: str) -> bool:
    """Whether `user` may run `name` in the case's state, its conditions aside: the step's own form gives
    what they need (available_transitions leaves out a transition whose conditions fail)."""
    transition = getattr(type(case), name)._django_fsm.get_transition(case.state)
    return transition is not None and transition.has_perm(case, user)


def _assign(*, application, actor, officer):
    return services.case_assign(case=application, actor=actor, officer=officer)


def organisation_names(case) -> tuple[str, str]:
    """The name the reader reads first (the Chinese one in Chinese), and the other one, if any."""
    original, chinese = case.organisation_name, case.organisation_name_zh
    if not chinese or chinese == original:
        return original, ""
    return (original, chinese) if (get_language() or "").startswith("en") else (chinese, original)


@admin.register(SetupCase)
class SetupCaseAdmin(AssignMixin, OfficePageAdmin):
    list_display = [
        "reference",
        "organisation_label",
        "country_label",
        "kind",
        "state_label",
        "assigned_officer",
        "deadline",
        "received",
    ]
    list_display_links = ["reference"]
    view_on_site = False  # the case has no page but this one
    list_filter = [CaseStateFilter, CaseOverdueFilter, AssignedFilter, "kind", CountryFilter, CaseAreaFilter]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(selectors.case_search_q)
    search_help_text = CASE_SEARCH_HELP
    list_select_related = ["assigned_officer"]
    ordering = [F("due_on").asc(nulls_last=True), "-created_at", "-pk"]
    change_list_template = "admin/foreign_offices/setupcase/change_list.html"
    change_form_template = "admin/foreign_offices/setupcase/change_form.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Setting-up cases: the office's queue")
    transitions = CASE_TRANSITIONS
    comment_session_key = "foreign-offices-case-comment-%s"
    step_session_key = "foreign-offices-case-step-%s"
    not_found = _("There is no such setting-up case.")
    assign_service = staticmethod(_assign)
    assigned_to_you = ngettext_lazy(
        "%(count)d case is now assigned to you.", "%(count)d cases are now assigned to you.", "count"
    )
    assigned_to_officer = ngettext_lazy(
        "%(count)d case is now assigned to %(officer)s.",
        "%(count)d cases are now assigned to %(officer)s.",
        "count",
    )

    def get_queryset(self, request):
        return selectors.case_list_for(request.user)

    def detail_queryset(self, queryset):
        return queryset.select_related("organisation")

    def has_add_permission(self, request):
        return self.may_act(request)

    # Columns

    @admin.display(description=_("organisation"), ordering="organisation_name")
    def organisation_label(self, case):
        first, second = organisation_names(case)
        if not second:
            return first
        return format_html('{}<div class="app-muted">{}</div>', first, second)

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, case):
        return country_name(case.country.code)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, case):
        return case_tag(case.state)

    @admin.display(description=_("due"), ordering=F("due_on").asc(nulls_last=True))
    def deadline(self, case):
        if case.state not in OPEN_CASE_STATES or case.due_on is None:
            return self.empty_value_display
        due = format_html('<span class="queue-due">{}</span>', short_date(case.due_on))
        late = days_late(case.due_on)
        return format_html("{} {}", due, overdue_badge(late)) if late else due

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, case):
        return short_date(timezone.localdate(case.created_at))

    def changelist_view(self, request, extra_context=None):
        context = {
            "call_url": self._url("add") if self.has_add_permission(request) else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # An enquiry taken by telephone

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OfficeEnquiryForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            case = self.run_form_service(
                request,
                form,
                lambda: services.enquiry_create(
                    data=form.service_data(),
                    language=form.cleaned_data["language"],
                    source=EnquirySource.OFFICE,
                    actor=request.user,
                ),
            )
            if case:
                messages.success(
                    request,
                    gettext("Case %(reference)s is opened; the enquirer is sent its reference by e-mail.")
                    % {"reference": case.reference},
                )
                return redirect(self._url("change", case.pk))
        return self.render_form_page(
            request,
            form,
            title=_("Enter an enquiry from a call"),
            intro=_(
                "An enquiry taken by telephone or at the counter opens a case as the public form does: it is "
                "given to the officer with the fewest open cases, and the enquirer is sent its reference."
            ),
            submit=_("Open the case"),
            cancel_url=self._url("changelist"),
        )

    # The page

    def page_context(self, request, case) -> dict:
        officer = self.may_act(request)
        is_open = case.state in OPEN_CASE_STATES
        names = services.available_transitions(case, request.user)
        kept = request.session.pop(self.step_session_key % case.pk, None) or {}
        step_forms = {
            name: form_class(kept["data"] if kept.get("name") == name else None, case=case)
            for name, form_class in STEP_FORMS.items()
            if step_possible(case, request.user, name)
        }
        notes = list(case.notes.select_related("author").order_by("at", "pk"))
        for note in notes:
            note.action_label = ACTION_LABELS.get(note.action, "") if note.action != "setup_case.note" else ""
            note.is_enquiry = note.action == "setup_case.enquire"
        return {
            "case": case,
            "crumb": f"{case.reference} {organisation_names(case)[0]}",
            "state_tag": case_tag(case.state),
            "next_step": CASE_NEXT_STEP.get(case.state, ""),
            "is_open": is_open,
            "overdue_days": days_late(case.due_on) if is_open else 0,
            "country": country_name(case.country.code),
            "names": organisation_names(case),
            "notes": notes,
            "documents": list(case.attachments.select_related("document").order_by("created_at", "pk")),
            "registry_url": (
                reverse("admin:foreign_offices_foreignorganisation_change", args=[case.organisation_id])
                if case.organisation_id
                else ""
            ),
            "note_form": NoteForm() if officer and is_open else None,
            "document_form": DocumentForm() if officer and is_open else None,
            "details_url": self._url("details", case.pk, request=request) if officer and is_open else "",
            "register_form": step_forms.get("register"),
            "open_form": step_forms.get("open"),
            "urls": {name: self._url(name, case.pk, request=request) for name in ("note", "document")},
            **self.assignment_context(request, case),
            "application": case,  # admin/includes/assignment.html's name for it
            **self.transition_context(
                request,
                case,
                [name for name in names if name not in STEP_FORMS],
                subject=case.reference,
            ),
            "audit_url": audit_url(case.reference),
        }

    def admin_views(self) -> list[tuple]:
        return [
            *super().admin_views(),
            ("<path:object_id>/note/", self.note_view, "note"),
            ("<path:object_id>/document/", self.document_view, "document"),
            ("<path:object_id>/details/", self.details_view, "details"),
        ]

    def run_transition(self, request, case, name, comment):
        data = None
        if name in STEP_FORMS:
            form = STEP_FORMS[name](request.POST)
            # Kept for the page until the step is done: what was typed is not lost after a refusal.
            request.session[self.step_session_key % case.pk] = {
                "name": name,
                "data": {
                    key: value for key, value in request.POST.items() if key.startswith(f"{form.prefix}-")
                },
            }
            if not form.is_valid():
                raise ValidationError(form_error_messages(form))
            data = form.cleaned_data
        try:
            changed = services.case_transition(
                case=case, actor=request.user, name=name, comment=comment, data=data
            )
        except ValidationError as error:
            raise labelled(error, SetupCase, ForeignOrganisation) from error
        except IntegrityError as error:
            # Opening makes the portal account, whose Chinese name must be unique among all organisations:
            # the service has rolled back; say what to correct rather than fail.
            logger.warning("setting-up case %s: %s refused by the database: %s", case.reference, name, error)
            raise ValidationError(
                gettext(
                    "The portal has another organisation of the same name or registration number already. "
                    "Correct the case's names or registration number, then try again."
                )
            ) from error
        request.session.pop(self.step_session_key % case.pk, None)
        return changed

    # The page's other forms: each calls one service and comes back to the page

    def note_view(self, request, object_id):
        case = self._acting_object(request, object_id)
        if request.method == "POST":
            form = NoteForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(form_error_messages(form)))
            else:
                try:
                    services.note_add(case=case, actor=request.user, text=form.cleaned_data["text"])
                except REFUSALS as error:
                    report_refusal(
                        request,
                        labelled(error, SetupCase, ForeignOrganisation)
                        if isinstance(error, ValidationError)
                        else error,
                    )
                else:
                    messages.success(request, gettext("The note is added."))
        return self._back(request, case, "notes")

    def document_view(self, request, object_id):
        case = self._acting_object(request, object_id)
        if request.method == "POST":
            form = DocumentForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, " ".join(form_error_messages(form)))
            else:
                try:
                    attachment = services.document_add(
                        case=case,
                        actor=request.user,
                        kind=form.cleaned_data["kind"],
                        uploaded_file=form.cleaned_data["file"],
                    )
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(
                        request,
                        gettext("“%(name)s” is attached to the case.")
                        % {"name": attachment.document.original_name},
                    )
        return self._back(request, case, "documents")

    def details_view(self, request, object_id):
        case = self._acting_object(request, object_id)
        back = self._url("change", case.pk, request=request)
        if case.state not in OPEN_CASE_STATES:
            messages.warning(
                request,
                gettext("A case that is %(state)s cannot be changed.") % {"state": case.get_state_display()},
            )
            return redirect(back)
        form = CaseDetailsForm(request.POST or None, instance=case)
        if request.method == "POST" and form.is_valid():
            changed = self.run_form_service(
                request,
                form,
                lambda: services.case_update(case=case, actor=request.user, data=form.service_data()),
            )
            if changed is not None:
                if changed:
                    messages.success(request, gettext("The case's details are saved."))
                return redirect(back)
        return self.render_form_page(
            request,
            form,
            obj=case,
            title=gettext("Details of %(reference)s") % {"reference": case.reference},
            intro=_(
                "Correct or complete the case as the organisation's plans become clear. The registration's "
                "details are asked for again when the registration is recorded."
            ),
            submit=_("Save the details"),
            cancel_url=back,
        )
