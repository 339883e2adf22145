"""`/api/v1/safety/presence/` (CONTRACT.md): who of ours is abroad on a day. The list gives the figures per
country; `/{CC}/` the travellers, stationed staff and sites of one country. Office staff see everyone,
enterprise users their organisation's people and sites. Read only."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from foreign_affairs.security.countries import country_name, iso_codes
from foreign_affairs.security.selectors import advisory_levels

from .. import selectors

LEVELS = ["low", "medium", "high"]


class PresenceQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="The day (YYYY-MM-DD); today when not given.")
    country = serializers.CharField(required=False, max_length=2, help_text="Only this country (ISO code).")
    city = serializers.CharField(required=False, max_length=100, help_text="Only this city (detail).")


class CountryFiguresSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code")
    country_name = serializers.CharField()
    advisory_level = serializers.ChoiceField(choices=LEVELS)
    people = serializers.IntegerField(help_text="Distinct people: travellers and stationed staff, each once.")
    travellers = serializers.IntegerField(help_text="Distinct people on approved trips there that day.")
    stationed = serializers.IntegerField(help_text="Distinct people stationed at a site there that day.")
    sites = serializers.IntegerField(help_text="Sites open that day.")
    chinese_staff = serializers.IntegerField(
        help_text="The open sites' Chinese staff, as the enterprises report it."
    )
    url = serializers.URLField(help_text="The country's detail.")


class TravellerSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    person_name = serializers.CharField()
    organization_id = serializers.IntegerField()
    organization_name = serializers.CharField()
    application_id = serializers.IntegerField()
    reference = serializers.CharField()
    city = serializers.CharField()
    arrive_on = serializers.DateField()
    leave_on = serializers.DateField()


class StationedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.full_name")
    organization_id = serializers.IntegerField(source="site.organization_id")
    organization_name = serializers.CharField(source="site.organization.name_zh")
    site_id = serializers.IntegerField()
    site_name = serializers.CharField(source="site.name")
    city = serializers.CharField(source="site.city")
    post = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class SiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    organization_id = serializers.IntegerField()
    organization_name = serializers.CharField(source="organization.name_zh")
    city = serializers.CharField()
    address = serializers.CharField()
    chinese_staff_count = serializers.IntegerField()
    security_officer = serializers.CharField()
    security_officer_phone = serializers.CharField()
    emergency_phone = serializers.CharField(help_text="24-hour emergency phone")
    local_security_contact = serializers.CharField()


class CountryPresenceSerializer(serializers.Serializer):
    date = serializers.DateField()
    country = serializers.CharField()
    country_name = serializers.CharField()
    advisory_level = serializers.ChoiceField(choices=LEVELS)
    people = serializers.IntegerField()
    chinese_staff = serializers.IntegerField()
    travellers = TravellerSerializer(many=True, help_text="One row per traveller and itinerary leg.")
    stationed = StationedSerializer(many=True)
    sites = SiteSerializer(many=True)


DATE = OpenApiParameter("date", OpenApiTypes.DATE, description="The day (YYYY-MM-DD); today when not given.")


class PresenceViewSet(viewsets.ViewSet):
    """Who of ours is abroad on a day: travellers of approved trips whose itinerary covers it, staff stationed
    at sites abroad, and the open sites. Enterprise users see only their organisation's."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "country"
    lookup_value_regex = "[A-Za-z]{2}"

    def _query(self) -> dict:
        query = PresenceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return {"date": timezone.localdate(), **query.validated_data}

    @extend_schema(
        parameters=[DATE, OpenApiParameter("country", str, description="Only this country (ISO code).")],
        responses={200: CountryFiguresSerializer(many=True)},
        summary="People and sites abroad per country on a day (not paged: one row per country, most people first)",
        filters=False,
    )
    def list(self, request, format=None):
        query = self._query()
        day = query["date"]
        rows = selectors.presence_by_country(day, user=request.user)
        if query.get("country"):
            rows = [row for row in rows if row.country == query["country"].upper()]
        levels = advisory_levels(row.country for row in rows)
        results = [
            {
                **vars(row),
                "country_name": country_name(row.country),
                "advisory_level": levels[row.country],
                "url": request.build_absolute_uri(
                    reverse("api:safety-presence-detail", args=[row.country]) + f"?date={day.isoformat()}"
                ),
            }
            for row in rows
        ]
        return Response(results)

    @extend_schema(
        parameters=[DATE, OpenApiParameter("city", str, description="Only this city (case-insensitive).")],
        responses={200: CountryPresenceSerializer},
        summary="The travellers, stationed staff and sites in one country on a day",
        filters=False,
    )
    def retrieve(self, request, country=None, format=None):
        code = (country or "").upper()
        if code not in iso_codes():
            raise Http404
        query = self._query()
        presence = selectors.presence_in(code, query["date"], user=request.user, city=query.get("city", ""))
        data = {
            "date": query["date"],
            "country": code,
            "country_name": country_name(code),
            "advisory_level": advisory_levels([code])[code],
            "people": presence.people,
            "chinese_staff": sum(site.chinese_staff_count for site in presence.sites),
            "travellers": presence.travellers,
            "stationed": presence.stationed,
            "sites": presence.sites,
        }
        return Response(CountryPresenceSerializer(data).data)


ROUTES = [("presence", PresenceViewSet, "safety-presence")]
