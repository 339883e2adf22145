from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .countries import country_name, destination_choices
from .models import CountryAdvisory
from .services import advisory_save


@admin.register(CountryAdvisory)
class CountryAdvisoryAdmin(admin.ModelAdmin):
    list_display = ["country_label", "level", "updated_at", "updated_by"]
    list_filter = ["level"]
    search_fields = ["country", "summary"]
    readonly_fields = ["updated_at", "updated_by"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "country":
            # The portal's names and order (countries.py: CLDR, full-width brackets in Chinese, pinyin order),
            # not django-countries' own list.
            kwargs["choices"] = [("", "---------"), *destination_choices()]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, advisory):
        return country_name(advisory.country.code)

    def save_model(self, request, obj, form, change):
        advisory_save(advisory=obj, actor=request.user)
