"""ApplicationEditor: the whole application form, turned into the services' arguments and a TripDraft."""

from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import Person
from foreign_affairs.security.countries import country_name

from .. import rules
from ..models import TravelApplication
from ..services import APPLICATION_FIELDS
from .actions import AttachmentForm
from .sections import (
    BUDGET_FIELDS,
    RULE_SECTIONS,
    SECTIONS,
    TRIP_FIELDS,
    ApplicationForm,
    LegForm,
    LegFormSetClass,
    MemberForm,
    MemberFormSetClass,
    country_choices,
)

FORM_ID = "application-form"  # the <form> of application_form.html


class DocumentForm(AttachmentForm):
    """The documents section's kind and file. They are inputs of the application form (HTML `form`
    attribute), although the section sits outside that <form> so that each attachment's Remove button
    can be a form of its own: whichever button saves the draft also attaches a chosen file, on a new
    application as on a saved one, with or without JavaScript. The section's own button saves the draft
    too ("Save the draft and attach the file" on a new application); with JavaScript, on a saved draft,
    "Attach the file" uploads the file in place instead (htmx, views.editing.attachment_add).

    `saved`: whether the application is saved already, which decides what the hint says."""

    def __init__(self, *args, saved: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # not for saving the draft; a file is required only to attach one
            field.widget.attrs["form"] = FORM_ID
        self.fields["file"].help_text = (
            _(
                "PDF, JPEG or PNG, at most 10 MB. The file is attached when you press “Attach the file” "
                "or save the draft."
            )
            if saved
            else _("PDF, JPEG or PNG, at most 10 MB. The file is attached when you save the draft.")
        )
        # PortalFormMixin already made the bound fields (and copied the hint); make them again.
        self._bound_fields_cache.clear()

    def clean(self):
        data = super().clean()
        if not data.get("file") and "file" not in self.errors:
            self.add_error("file", ValidationError(_("Choose the file to attach."), code="required"))
        return data


class ApplicationEditor:
    """The whole application form: the application's fields, its itinerary and its delegation.

    Unbound, it shows the saved application (or one empty row of each kind for a new one); bound, it
    validates what was typed. `service_arguments()` gives what services.application_create/update take;
    `draft()` gives an unsaved rules.TripDraft built from whatever was valid so far. `upload` is the
    documents section: bound when a file was chosen, which the view attaches once the draft is saved; it
    does not count in `is_valid()`, since a refused file does not stop the draft.
    """

    def __init__(
        self,
        *,
        organization,
        application: TravelApplication | None = None,
        data=None,
        files=None,
        add: str = "",
    ):
        self.organization = organization
        self.application = application
        self.people = list(Person.objects.filter(organization=organization).order_by("full_name", "pk"))
        self.problems: list[dict] = []  # errors of the services and rules, for the summary
        instance = TravelApplication.objects.get(pk=application.pk) if application else None
        self.form = ApplicationForm(data, instance=instance)
        legs = members = ()
        if application is not None:
            legs = [
                {
                    "country": str(leg.country),
                    "city": leg.city,
                    "arrive_on": leg.arrive_on,
                    "leave_on": leg.leave_on,
                    "host_organization": leg.host_organization,
                }
                for leg in application.legs.all()
            ]
            members = [
                {
                    "person": member.person_id,
                    "position_on_trip": member.position_on_trip,
                    "is_leader": member.is_leader,
                }
                for member in application.members.all()
            ]
        # The destinations with their advisory levels: one query for all the rows and the empty one.
        self.legs = LegFormSetClass(
            data,
            prefix="legs",
            initial=list(legs) or None,
            form_kwargs={"countries": country_choices(advisories=True)},
        )
        self.members = MemberFormSetClass(
            data, prefix="members", initial=list(members) or None, form_kwargs={"people": self.people}
        )
        # One empty row to start with, or when asked for one more (the Add buttons without JavaScript).
        self.legs.extra = int(not legs or add == "legs")
        self.members.extra = int(not members or add == "members")
        saved = application is not None
        if files and files.get("file"):
            self.upload = DocumentForm(data, files, saved=saved)
        else:  # nothing to attach; the kind chosen stays chosen
            self.upload = DocumentForm(initial={"kind": data.get("kind")} if data else None, saved=saved)

    def require_upload(self, data, files) -> None:
        """The "Attach the file" button was pressed: a missing file is an error beside the file field."""
        if not self.upload.is_bound:
            self.upload = DocumentForm(data, files, saved=self.application is not None)

    def upload_not_saved(self) -> None:
        """The draft was not saved, so neither was the chosen file, which the browser does not keep."""
        if self.upload.is_bound and self.upload.files.get("file"):
            self.upload.add_error(
                "file",
                _(
                    "The draft was not saved, so choose the file again once the other problems are fixed "
                    "(a browser does not keep a chosen file)."
                ),
            )

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.legs.is_valid(), self.members.is_valid()]
        return all(results) and not self.problems

    # What the services take --------------------------------------------------------------------------

    def service_arguments(self) -> tuple[dict, list[dict], list[dict]]:
        data = {name: self.form.cleaned_data[name] for name in APPLICATION_FIELDS}
        legs = [
            {
                name: form.cleaned_data[name]
                for name in ("country", "city", "arrive_on", "leave_on", "host_organization")
            }
            for form in sorted(self.legs.live_forms(), key=lambda form: form.cleaned_data["arrive_on"])
        ]
        members = []
        for form in self.members.live_forms():
            cleaned = form.cleaned_data
            member = {
                "position_on_trip": cleaned.get("position_on_trip", ""),
                "is_leader": bool(cleaned.get("is_leader")),
            }
            if cleaned.get("person_object") is not None:
                member["person"] = cleaned["person_object"]
            else:
                member.update(
                    {name: cleaned[name] for name in MemberForm.NEW_PERSON_FIELDS if cleaned.get(name)}
                )
            members.append(member)
        return data, legs, members

    # The live rule check -----------------------------------------------------------------------------

    def draft(self, *, attachment_kinds=()) -> rules.TripDraft:
        """An unsaved TripDraft from what was typed; rows with errors count with what is valid in them."""
        if not self.is_bound:
            if self.application is not None:
                return rules.TripDraft.from_application(self.application, reference_date=None)
            return rules.TripDraft(organization_id=self.organization.pk)
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        legs = []
        for form in self.legs.live_forms():
            data = form.cleaned_data
            if data.get("country") and data.get("arrive_on") and data.get("leave_on"):
                legs.append(
                    rules.Leg(
                        data["country"],
                        data.get("city") or country_name(data["country"]),
                        data["arrive_on"],
                        data["leave_on"],
                    )
                )
        members = []
        for form in self.members.live_forms():
            data = form.cleaned_data
            person = data.get("person_object")
            if person is None and data.get("person") in form.people:
                person = form.people[data["person"]]
            if person is None and data.get("full_name"):
                person = Person(
                    organization=self.organization,
                    full_name=data["full_name"],
                    passport_number=data.get("passport_number") or "",
                    passport_expiry=data.get("passport_expiry"),
                )
            if person is not None:
                members.append(
                    rules.Member(person, data.get("position_on_trip", ""), bool(data.get("is_leader")))
                )
        return rules.TripDraft(
            organization_id=self.organization.pk,
            application_id=self.application.pk if self.application else None,
            belt_and_road=bool(cleaned.get("belt_and_road")),
            justification=cleaned.get("justification", "") or "",
            legs=legs,
            members=members,
            attachment_kinds=set(attachment_kinds),
        )

    def incomplete_rows(self) -> dict[str, int]:
        """Rows typed in but not valid yet (the rule check leaves out what it cannot read)."""
        if not self.is_bound:
            return {"legs": 0, "members": 0}
        return {
            "legs": sum(bool(form.errors) for form in self.legs.live_forms()),
            "members": sum(bool(form.errors) for form in self.members.live_forms()),
        }

    # Errors and progress -----------------------------------------------------------------------------

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError: on the field it names, or in the summary with a link."""
        if not hasattr(error, "error_dict"):
            self.problems += [{"href": "", "text": message} for message in error.messages]
            return
        for name, errors in error.message_dict.items():
            if name in self.form.fields:
                self.form.add_error(name, errors)
            else:
                href = {"legs": "#itinerary", "members": "#delegation"}.get(name, "")
                if name in LegForm.base_fields:
                    href = "#itinerary"
                elif name in MemberForm.base_fields:
                    href = "#delegation"
                self.problems += [{"href": href, "text": message} for message in errors]

    def add_problem(self, text, href: str = "") -> None:
        self.problems.append({"href": href, "text": str(text)})

    def add_rule_failures(self, findings: list[dict]) -> None:
        for finding in findings:
            self.add_problem(finding["message"], RULE_SECTIONS.get(finding.get("code", ""), ""))

    def error_items(self) -> list[dict]:
        """Every error on the page, each linking to its field or section (the error summary)."""
        items = [{"href": "", "text": str(error)} for error in self.form.non_field_errors()]
        for field in self.form:
            items += [
                {"href": f"#{field.auto_id}", "text": f"{field.label}: {error}"} for error in field.errors
            ]
        for formset, section, row_label in (
            (self.legs, "#itinerary", pgettext_lazy("itinerary stop", "Stop")),
            (self.members, "#delegation", pgettext_lazy("delegation member", "Member")),
        ):
            if not formset.is_bound:
                continue
            items += [{"href": section, "text": str(error)} for error in formset.non_form_errors()]
            for row in formset.rows():
                if row["removed"]:
                    continue
                form, prefix = row["form"], f"{row_label} {row['number']}"
                items += [
                    {"href": section, "text": f"{prefix}: {error}"} for error in form.non_field_errors()
                ]
                for field in form:
                    if field.name == DELETION_FIELD_NAME:
                        continue
                    items += [
                        {"href": f"#{field.auto_id}", "text": f"{prefix} · {field.label}: {error}"}
                        for error in field.errors
                    ]
        if self.upload.is_bound:
            items += [{"href": "#documents", "text": str(error)} for error in self.upload.non_field_errors()]
            for field in self.upload:
                items += [
                    {"href": f"#{field.auto_id}", "text": f"{field.label}: {error}"} for error in field.errors
                ]
        return items + self.problems

    def progress(self, findings, attachment_kinds=(), *, live: bool = False) -> list[dict]:
        """Each section's state for the progress indicator: "done", "todo" or "problem".

        While typing (`live`), a field that is merely still empty is "to do", not a problem.
        """
        problem_fields = {finding.field for finding in findings if finding.severity == "error"}

        def has_errors(form) -> bool:
            if not form.is_bound:
                return False
            if not live:
                return bool(form.errors)
            return any(
                error.code != "required" for errors in form.errors.as_data().values() for error in errors
            )

        def form_errors(names) -> bool:
            if not self.is_bound:
                return False
            errors = self.form.errors.as_data()
            return any(
                not live or error.code != "required" for name in names for error in errors.get(name, ())
            )

        def value(name):
            if self.is_bound:
                return getattr(self.form, "cleaned_data", {}).get(name) or self.form.data.get(name)
            return self.form.initial.get(name)

        def rows(formset):
            return formset.live_forms() if formset.is_bound else list(formset.initial or [])

        def rows_state(formset, field) -> str:
            if not rows(formset):
                return "todo"
            if formset.is_bound and (formset.non_form_errors() or any(has_errors(f) for f in rows(formset))):
                return "problem"
            if formset.is_bound and any(form.errors for form in rows(formset)):
                return "todo"  # only still-empty required fields, while typing
            return "problem" if field in problem_fields else "done"

        trip_filled = all(value(name) for name in ("title", "purpose", "mission_type"))
        states = {
            "trip": "problem"
            if form_errors(TRIP_FIELDS) or "justification" in problem_fields
            else "done"
            if trip_filled
            else "todo",
            "itinerary": rows_state(self.legs, "legs"),
            "delegation": rows_state(self.members, "members"),
            "budget": "problem"
            if form_errors(BUDGET_FIELDS)
            else "done"
            if value("budget_amount") not in (None, "")
            else "todo",
            "documents": "done" if "invitation" in set(attachment_kinds) else "todo",
        }
        labels = {"done": _("complete"), "todo": _("to do"), "problem": _("needs attention")}
        return [
            {
                "number": number,
                "key": key,
                "label": label,
                "state": states[key],
                "state_label": labels[states[key]],
            }
            for number, (key, label) in enumerate(SECTIONS, start=1)
        ]
