"""Travel applications in any state, with itinerary, members and an invitation letter.

`ApplicationFactory(in_review=True)` etc.: a Trait per state sets what that state implies (dates of
submission and decision, a due date) without running the workflow; tests of the workflow run it.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from approvals.models import Attachment, DelegationMember, ItineraryLeg, TravelApplication
from approvals.services import next_reference
from approvals.workflow import State
from foreign_affairs.documents.models import Document
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


def _departure():
    return timezone.localdate() + timedelta(days=60)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TravelApplication
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(UserFactory)
    reference = factory.LazyFunction(lambda: next_reference(timezone.localdate().year))
    title = "赴德国、法国商务考察"
    purpose = "与合作伙伴洽谈物流合作，参加展会。"
    mission_type = "business_negotiation"
    budget_amount = 120000
    contact_name = "李娜"
    contact_phone = "0371-65550101"
    state = State.DRAFT

    class Params:
        submitted = factory.Trait(
            state=State.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            due_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3)),
        )
        in_review = factory.Trait(
            state=State.IN_REVIEW,
            submitted_at=factory.LazyFunction(timezone.now),
            due_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5)),
        )
        returned = factory.Trait(state=State.RETURNED, submitted_at=factory.LazyFunction(timezone.now))
        pending_signoff = factory.Trait(
            state=State.PENDING_SIGNOFF,
            submitted_at=factory.LazyFunction(timezone.now),
            due_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3)),
        )
        approved = factory.Trait(
            state=State.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )
        permit_issued = factory.Trait(
            state=State.PERMIT_ISSUED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )
        report_submitted = factory.Trait(
            state=State.REPORT_SUBMITTED,
            report_summary="完成考察",
            report_submitted_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(state=State.REJECTED, decided_at=factory.LazyFunction(timezone.now))
        withdrawn = factory.Trait(state=State.WITHDRAWN)
        cancelled = factory.Trait(state=State.CANCELLED)
        closed = factory.Trait(state=State.CLOSED)

    @factory.post_generation
    def trip(self, create, extracted, **kwargs):
        """Two stops (Germany, France), three members led by the first, and an invitation letter.
        Pass trip=False for a bare application, or departure=<date>, members=<n>."""
        if not create or extracted is False:
            return
        from approvals.services import refresh_summary

        departure = kwargs.get("departure") or _departure()
        ItineraryLeg.objects.create(
            application=self,
            position=0,
            country="DE",
            city="汉堡",
            arrive_on=departure,
            leave_on=departure + timedelta(days=3),
            host_organization="Hamburg Logistics AG",
        )
        ItineraryLeg.objects.create(
            application=self,
            position=1,
            country="FR",
            city="里昂",
            arrive_on=departure + timedelta(days=4),
            leave_on=departure + timedelta(days=6),
            host_organization="Lyon Expo SA",
        )
        for index in range(kwargs.get("members", 3)):
            DelegationMember.objects.create(
                application=self,
                person=PersonFactory(organization=self.organization, position="经理"),
                position_on_trip="团长" if index == 0 else "团员",
                is_leader=index == 0,
            )
        document = Document.objects.create(
            organization=self.organization,
            kind="invitation",
            original_name="invitation.pdf",
            file="x.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
        )
        Attachment.objects.create(application=self, kind="invitation", document=document)
        refresh_summary(self)
        self.save()
