"""The sections of an activity's page in the back office and the views behind their forms: the agenda (and
its editor, a page of its own), the reception checklist, the documents, the outcomes (summary, agreements,
follow-up tasks, coverage) and the linked travel applications. Each view calls one service of
exchanges.services.activities and comes back to the page; a refusal becomes a message there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from foreign_affairs.admin_pages import enterprise_search
from foreign_affairs.admin_queue import REFUSALS, is_officer, report_refusal

from ..models import Activity, ActivityDocument, ChecklistItem, FollowUp
from ..services import activities as services
from ..workflow import HELD_STATES, State
from .activity_forms import (
    AgendaFormSet,
    AgreementForm,
    ApplicationLinkForm,
    ChecklistAddForm,
    ChecklistItemForm,
    CoverageForm,
    DocumentForm,
    FollowUpForm,
    OutcomesForm,
)
from .common_activities import office_staff, staff_label

# Outcomes are recorded from confirmation on (services.activities._require_outcome_time).
OUTCOME_STATES = (State.CONFIRMED, *HELD_STATES)
# The agenda editor shows this many empty rows, and as many more at each "Add rows".
EMPTY_ROWS = 3


def application_url(application) -> str:
    try:
        return reverse("admin:approvals_travelapplication_change", args=[application.pk])
    except NoReverseMatch:
        return ""


def posted_pk(request, name: str) -> int | None:
    """The id a button posted, or None for anything that is no id (a tampered form never fails the page)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def agenda_days(items) -> list[tuple]:
    """The agenda by day: [(day, [items])]."""
    days: dict = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    return list(days.items())


class ActivityPageViews:
    """The activity's page's sections and their views (mixed into ActivityAdmin)."""

    agenda_template = "admin/exchanges/activity/agenda.html"

    def page_views(self) -> list[tuple]:
        return [
            ("<path:object_id>/agenda/", self.agenda_view, "agenda"),
            ("<path:object_id>/checklist/", self.checklist_view, "checklist"),
            ("<path:object_id>/checklist/add/", self.checklist_add_view, "checklist_add"),
            ("<path:object_id>/document/", self.document_view, "document"),
            ("<path:object_id>/documents/", self.documents_view, "documents"),
            ("<path:object_id>/outcomes/", self.outcomes_view, "outcomes"),
            ("<path:object_id>/agreement/", self.agreement_view, "agreement"),
            ("<path:object_id>/follow-up/", self.follow_up_view, "follow_up"),
            ("<path:object_id>/follow-up/done/", self.follow_up_done_view, "follow_up_done"),
            ("<path:object_id>/coverage/", self.coverage_view, "coverage"),
            ("<path:object_id>/applications/", self.applications_view, "applications"),
        ]

    def sections_context(self, request, activity, *, officer: bool) -> dict:
        """What the page's sections show, in a fixed number of queries; the forms for an officer while the
        activity is open."""
        checklist = list(activity.checklist.select_related("assignee", "done_by"))
        today = timezone.localdate()
        for item in checklist:
            item.late = (
                (today - item.due_on).days if item.due_on and not item.done and item.due_on < today else 0
            )
        staff = list(office_staff()) if officer else []
        for user in staff:
            user.choice_label = staff_label(user)
        documents = list(activity.attachments.select_related("document").order_by("created_at", "pk"))
        applications = list(activity.travel_applications.select_related("organization").order_by("pk"))
        for application in applications:
            application.admin_url = application_url(application)
        outcomes_open = activity.state in OUTCOME_STATES
        follow_ups = list(activity.follow_ups.select_related("owner"))
        user = request.user
        for follow_up in follow_ups:
            follow_up.may_tick = follow_up.done_at is None and (
                is_officer(user) or follow_up.owner_id == user.pk
            )
        urls = {
            name: self._url(name, activity.pk, request=request)
            for name in (
                "checklist",
                "checklist_add",
                "document",
                "documents",
                "outcomes",
                "agreement",
                "follow_up",
                "follow_up_done",
                "coverage",
                "applications",
            )
        }
        return {
            "agenda_days": agenda_days(activity.agenda.all()),
            "checklist": checklist,
            "checklist_done": sum(1 for item in checklist if item.done),
            "show_checklist": activity.is_incoming or bool(checklist),
            "staff": staff,
            "checklist_add_form": ChecklistAddForm() if officer else None,
            "documents": documents,
            "document_form": DocumentForm() if officer else None,
            "agreements": list(activity.agreements.select_related("document__document")),
            "follow_ups": follow_ups,
            "coverage": list(activity.coverage.all()),
            "outcomes_form": OutcomesForm(instance=activity) if officer and outcomes_open else None,
            "agreement_form": AgreementForm(activity=activity) if officer and outcomes_open else None,
            "follow_up_form": FollowUpForm(staff=office_staff()) if officer and outcomes_open else None,
            "coverage_form": CoverageForm() if officer and outcomes_open else None,
            "applications": applications,
            "application_form": ApplicationLinkForm() if officer else None,
            "media_requests": list(activity.media_requests.order_by("-created_at", "-pk")),
            "urls": urls,
        }

    # The agenda's editor

    def agenda_view(self, request, object_id):
        """The agenda's rows on a page of their own: change, add, remove; saved all at once by
        services.activities.agenda_set, each refusal beside its row."""
        activity = self._acting_object(request, object_id)
        back = self._url("change", activity.pk, request=request)
        if activity.state in (State.CLOSED, State.CANCELLED):
            messages.warning(
                request, gettext("The agenda of a closed or cancelled activity stays as it was.")
            )
            return redirect(back)
        initial = [
            {
                "day": item.day,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "title_zh": item.title_zh,
                "title_en": item.title_en,
                "place": item.place,
                "people": item.people,
            }
            for item in activity.agenda.all()
        ]
        if request.method == "POST" and "add_rows" in request.POST:
            # More empty rows, keeping what was typed: nothing is saved yet.
            data = request.POST.copy()
            total = data.get("agenda-TOTAL_FORMS", "")
            total = int(total) if total.isdigit() else 0
            data["agenda-TOTAL_FORMS"] = str(min(total + EMPTY_ROWS, 200))
            formset = AgendaFormSet(data, prefix="agenda", initial=initial)
        elif request.method == "POST":
            formset = AgendaFormSet(request.POST, prefix="agenda", initial=initial)
            if formset.is_valid() and self._save_agenda(request, activity, formset):
                return redirect(f"{back}#agenda")
        else:
            formset = AgendaFormSet(prefix="agenda", initial=initial)
        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": gettext("Agenda of %(reference)s") % {"reference": activity.reference},
            "opts": self.opts,
            "original": activity,
            "activity": activity,
            "formset": formset,
            "cancel_url": back,
            "has_errors": request.method == "POST"
            and "add_rows" not in request.POST
            and (any(form.errors for form in formset) or formset.non_form_errors()),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.agenda_template, context)

    def _save_agenda(self, request, activity, formset) -> bool:
        rows = [
            (index, form)
            for index, form in enumerate(formset.forms)
            if not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]
        try:
            services.agenda_set(
                activity=activity, actor=request.user, items=[form.item() for _i, form in rows]
            )
        except ValidationError as error:
            by_field = getattr(error, "error_dict", {})
            for key, errors in by_field.items():
                parts = key.split(".")
                if (
                    len(parts) == 3
                    and parts[0] == "agenda"
                    and parts[1].isdigit()
                    and int(parts[1]) < len(rows)
                ):
                    form = rows[int(parts[1])][1]
                    field = parts[2] if parts[2] in form.fields else None
                    form.add_error(field, errors)
                else:
                    formset._non_form_errors = formset.non_form_errors() + [
                        message for e in errors for message in e.messages
                    ]
            if not by_field:
                formset._non_form_errors = formset.non_form_errors() + error.messages
            return False
        except REFUSALS as error:
            report_refusal(request, error)
            return False
        messages.success(
            request,
            gettext("The agenda is saved: %(count)d items.") % {"count": len(rows)}
            if rows
            else gettext("The agenda is now empty."),
        )
        return True

    # The reception checklist

    def checklist_view(self, request, object_id):
        """An item assigned, given a due date or a note, ticked or unticked."""
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            item = ChecklistItem.objects.filter(activity=activity, pk=posted_pk(request, "item")).first()
            if item is None:
                messages.warning(request, gettext("That item is no longer on the checklist."))
                return self._back(request, activity, "checklist")
            form = ChecklistItemForm(request.POST, prefix=f"checklist-{item.pk}")
            if request.POST.get("tick") in ("done", "undone"):
                # The quick button: only the tick changes.
                form = ChecklistItemForm(
                    {
                        f"checklist-{item.pk}-assignee": item.assignee_id or "",
                        f"checklist-{item.pk}-due_on": item.due_on or "",
                        f"checklist-{item.pk}-note": item.note,
                        f"checklist-{item.pk}-done": "on" if request.POST["tick"] == "done" else "",
                    },
                    prefix=f"checklist-{item.pk}",
                )
            self.run_small_form(
                request,
                form,
                lambda: services.checklist_update(
                    item=item, actor=request.user, data=self._checklist_data(form)
                ),
                done=gettext("“%(item)s” is saved.") % {"item": item},
                model=ChecklistItem,
            )
        return self._back(request, activity, "checklist")

    @staticmethod
    def _checklist_data(form) -> dict:
        data = dict(form.cleaned_data)
        data["done"] = bool(data.get("done"))
        return data

    def checklist_add_view(self, request, object_id):
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = ChecklistAddForm(request.POST)
            self.run_small_form(
                request,
                form,
                lambda: services.checklist_add(
                    activity=activity, actor=request.user, label=form.cleaned_data["label"]
                ),
                done=gettext("The item is added to the checklist."),
                model=ChecklistItem,
            )
        return self._back(request, activity, "checklist")

    # Documents

    def document_view(self, request, object_id):
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = DocumentForm(request.POST, request.FILES)
            self.run_small_form(
                request,
                form,
                lambda: services.document_add(
                    activity=activity,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"],
                ),
                done=gettext("The document is attached."),
                model=ActivityDocument,
            )
        return self._back(request, activity, "documents")

    def documents_view(self, request, object_id):
        """A document removed."""
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            attachment = (
                ActivityDocument.objects.filter(application=activity, pk=posted_pk(request, "attachment"))
                .select_related("document", "application")
                .first()
            )
            if attachment is None:
                messages.warning(request, gettext("That document is no longer attached to the activity."))
                return self._back(request, activity, "documents")
            name = attachment.document.original_name
            self.run_small_service(
                request,
                lambda: services.document_remove(attachment=attachment, actor=request.user),
                done=gettext("“%(name)s” is removed from the activity.") % {"name": name},
            )
        return self._back(request, activity, "documents")

    # Outcomes

    def outcomes_view(self, request, object_id):
        """The outcomes' summary, written once the activity is confirmed (it allows the report)."""
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = OutcomesForm(request.POST)
            if activity.state not in OUTCOME_STATES:
                messages.warning(request, gettext("Outcomes are recorded once the activity is confirmed."))
            else:
                self.run_small_form(
                    request,
                    form,
                    lambda: services.activity_update(
                        activity=activity, actor=request.user, data=form.service_data()
                    ),
                    done=gettext("The outcomes are saved."),
                    model=Activity,
                )
        return self._back(request, activity, "outcomes")

    def agreement_view(self, request, object_id):
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = AgreementForm(request.POST, activity=activity)
            self.run_small_form(
                request,
                form,
                lambda: services.agreement_add(
                    activity=activity, actor=request.user, data=form.service_data()
                ),
                done=gettext("The agreement is recorded."),
                model=form._meta.model,
            )
        return self._back(request, activity, "agreements")

    def follow_up_view(self, request, object_id):
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = FollowUpForm(request.POST)
            self.run_small_form(
                request,
                form,
                lambda: services.follow_up_add(
                    activity=activity, actor=request.user, data=form.service_data()
                ),
                done=gettext("The follow-up task is added; its owner is told."),
                model=FollowUp,
            )
        return self._back(request, activity, "follow-ups")

    def follow_up_done_view(self, request, object_id):
        """A follow-up task ticked done, by an officer or the task's owner (the service decides)."""
        activity = self._object_or_404(request, object_id)
        if request.method == "POST":
            follow_up = FollowUp.objects.filter(activity=activity, pk=posted_pk(request, "follow_up")).first()
            if follow_up is None:
                messages.warning(request, gettext("There is no such follow-up task on this activity."))
                return self._back(request, activity, "follow-ups")
            self.run_small_service(
                request,
                lambda: services.follow_up_done(follow_up=follow_up, actor=request.user),
                done=gettext("“%(task)s” is done.") % {"task": follow_up.task},
            )
        return self._back(request, activity, "follow-ups")

    def coverage_view(self, request, object_id):
        activity = self._acting_object(request, object_id)
        if request.method == "POST":
            form = CoverageForm(request.POST)
            self.run_small_form(
                request,
                form,
                lambda: services.coverage_add(
                    actor=request.user, activity=activity, data=form.service_data()
                ),
                done=gettext("The coverage is recorded."),
                model=form._meta.model,
            )
        return self._back(request, activity, "coverage")

    # Travel applications of an outgoing delegation

    def applications_view(self, request, object_id):
        """A travel application linked by its reference, or unlinked."""
        activity = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, activity, "applications")
        applications = Activity.travel_applications.field.related_model.objects
        if "unlink" in request.POST:
            application = activity.travel_applications.filter(pk=posted_pk(request, "unlink")).first()
            if application is None:
                messages.warning(request, gettext("That travel application is not linked to the activity."))
            else:
                self.run_small_service(
                    request,
                    lambda: services.application_link(
                        activity=activity, actor=request.user, application=application, linked=False
                    ),
                    done=gettext("%(reference)s is no longer linked.") % {"reference": application.reference},
                )
            return self._back(request, activity, "applications")
        form = ApplicationLinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give the reference of a travel application."))
            return self._back(request, activity, "applications")
        reference = form.cleaned_data["reference"].strip()
        application = applications.filter(reference__iexact=reference).first()
        if application is None:
            messages.error(
                request,
                gettext("There is no travel application %(reference)s. Check the reference.")
                % {"reference": reference},
            )
        elif activity.travel_applications.filter(pk=application.pk).exists():
            messages.info(
                request, gettext("%(reference)s is already linked.") % {"reference": application.reference}
            )
        else:
            self.run_small_service(
                request,
                lambda: services.application_link(
                    activity=activity, actor=request.user, application=application
                ),
                done=gettext("%(reference)s is linked to the activity.")
                % {"reference": application.reference},
            )
        return self._back(request, activity, "applications")

    # The enterprises' autocomplete of the activity's form

    def enterprise_search_view(self, request):
        """The enterprises of the free trade zone whose names hold the term (select2's JSON)."""
        return enterprise_search(request)
