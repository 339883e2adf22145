"""`/api/v1/security/advisories/`: the office's country advisories (read)."""

from django_countries.serializer_fields import CountryField
from rest_framework import serializers, viewsets

from .models import CountryAdvisory


class CountryAdvisorySerializer(serializers.ModelSerializer):
    country = CountryField(country_dict=True)

    class Meta:
        model = CountryAdvisory
        fields = ["country", "level", "summary", "updated_at"]


class CountryAdvisoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountryAdvisorySerializer
    queryset = CountryAdvisory.objects.order_by("country")
    filterset_fields = ["level"]
    lookup_field = "country"
