"""Factories of the overseas-safety area: sites, stationed staff, incidents (through the service), plans."""

from datetime import timedelta

import factory
from django.utils import timezone

from overseas_safety.models import EmergencyPlan, PlanStep, Site, Stationing
from overseas_safety.services.incidents import incident_report
from overseas_safety.workflow import IncidentKind, Level, SiteKind
from tests.factories import OrganizationFactory, PersonFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Lagos project {n}")
    kind = SiteKind.PROJECT
    country = "NG"
    city = "Lagos"
    address = "12 Marina Road"
    chinese_staff_count = 12
    security_officer = "王安"
    security_officer_phone = "+86 371 6000 0000"
    emergency_phone = "+234 803 000 0000"


class StationingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stationing

    site = factory.SubFactory(SiteFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(organization=o.site.organization))
    post = "Site manager"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = None


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyPlan
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Security incident plan {n}")
    kind = IncidentKind.SECURITY
    max_level = Level.IV

    @factory.post_generation
    def steps(plan, create, extracted, **kwargs):
        for position, text in enumerate(
            extracted or ["Call the embassy", "Call the family", "Report to leaders"]
        ):
            PlanStep.objects.create(plan=plan, position=position, text=text, responsible="Duty officer")


def report(actor, organization=None, **data):
    """An incident reported through the service by `actor` (of `organization`)."""
    organization = organization or actor.organization
    values = {
        "title": "Robbery at the site",
        "kind": IncidentKind.SECURITY,
        "level": Level.II,
        "country": "NG",
        "city": "Lagos",
        "occurred_at": timezone.now() - timedelta(hours=1),
        "description": "Two staff were robbed on the way to the site.",
        **data,
    }
    return incident_report(actor=actor, organization=organization, data=values)
