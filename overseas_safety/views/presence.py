"""Presence abroad (who of ours is in country X on a day): the world overview, a map with the same figures as
a table, and a page per country with the travellers, the stationed staff and the sites. Office staff see
everyone; enterprise users their organisation's people and sites (selectors.presence_by_country and
presence_in scope them)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from foreign_affairs.security.countries import ADVISORY_TAGS, country_name, iso_codes
from foreign_affairs.security.models import AdvisoryLevel
from foreign_affairs.security.selectors import advisory_levels

from .. import selectors, worldmap


class DayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class OverviewForm(DayForm):
    q = forms.CharField(
        label=gettext_lazy("Country"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Advisory level"),
        required=False,
        choices=[("", gettext_lazy("Any level")), *AdvisoryLevel.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _read(form_class, request):
    """The form, its valid values, and the day it names (today when none or not a date: the form then shows
    the error, and its other fields still apply)."""
    form = form_class(request.GET or None)
    cleaned = {}
    if form.is_bound:
        form.is_valid()
        cleaned = form.cleaned_data
    return form, cleaned, cleaned.get("date") or timezone.localdate()


def _country_urls(day, today):
    """code → the country's page on `day` (one reverse() for the map's two hundred countries)."""
    pattern = reverse("overseas_safety:presence_country", args=["XX"]).replace("XX", "{code}", 1)
    query = "" if day == today else f"?{urlencode({'date': day.isoformat()})}"
    return lambda code: pattern.format(code=code) + query


def _matches(code: str, query: str) -> bool:
    query = query.strip().casefold()
    return not query or any(
        query in text.casefold() for text in (code, country_name(code, "zh"), country_name(code, "en"))
    )


@login_required
@require_GET
def presence_overview(request):
    form, cleaned, day = _read(OverviewForm, request)
    today = timezone.localdate()
    rows = selectors.presence_by_country(day, user=request.user)
    levels = advisory_levels({*worldmap.codes(), *(row.country for row in rows)})
    labels = {"medium": str(ADVISORY_TAGS["medium"]), "high": str(ADVISORY_TAGS["high"])}
    country_url = _country_urls(day, today)
    svg = worldmap.render(
        {row.country: row.people for row in rows},
        levels,
        href=country_url,
        advisory_labels=labels,
        title=_("Map of our people abroad on %(date)s") % {"date": date_format(day, "DATE_FORMAT")},
    )
    query, level = cleaned.get("q", ""), cleaned.get("level", "")
    table = [
        {
            "row": row,
            "name": country_name(row.country),
            "level": levels.get(row.country, "low"),
            "level_label": labels.get(levels.get(row.country, "low"), ""),
            "url": country_url(row.country),
            "shade": worldmap.shade(row.people),
        }
        for row in rows
        if _matches(row.country, query) and (not level or levels.get(row.country, "low") == level)
    ]
    return render(
        request,
        "overseas_safety/presence/overview.html",
        {
            "form": form,
            "day": day,
            "is_today": day == today,
            "map": svg,
            "legend": worldmap.legend(),
            "rows": table,
            "countries": len(rows),
            "filtered": bool(query or level),
        },
    )


@login_required
@require_GET
def presence_country(request, code: str):
    code = code.upper()
    if code not in iso_codes():
        raise Http404
    form, _cleaned, day = _read(DayForm, request)
    city = request.GET.get("city", "").strip()
    presence = selectors.presence_in(code, day, user=request.user)
    cities = sorted(
        {row["city"] for row in presence.travellers}
        | {row.site.city for row in presence.stationed}
        | {site.city for site in presence.sites},
        key=str.casefold,
    )
    if city:
        wanted = city.casefold()
        presence.travellers = [row for row in presence.travellers if row["city"].casefold() == wanted]
        presence.stationed = [row for row in presence.stationed if row.site.city.casefold() == wanted]
        presence.sites = [site for site in presence.sites if site.city.casefold() == wanted]
    chinese_staff = sum(site.chinese_staff_count for site in presence.sites)
    level = advisory_levels([code])[code]
    # The counts are of everyone; the lists show the first LISTED of each (a city narrows them; the API
    # gives every row).
    totals = {
        "people": presence.people,
        "travellers": len(presence.travellers),
        "stationed": len(presence.stationed),
        "sites": len(presence.sites),
    }
    more = {name: max(totals[name] - LISTED, 0) for name in ("travellers", "stationed", "sites")}
    presence.travellers = presence.travellers[:LISTED]
    presence.stationed = presence.stationed[:LISTED]
    presence.sites = presence.sites[:LISTED]
    return render(
        request,
        "overseas_safety/presence/country.html",
        {
            "form": form,
            "day": day,
            "is_today": day == timezone.localdate(),
            "code": code,
            "name": country_name(code),
            "level": level,
            "level_label": AdvisoryLevel(level).label,
            "presence": presence,
            "totals": totals,
            "more": more,
            "chinese_staff": chinese_staff,
            "cities": cities,
            "city": city,
            "overview_url": reverse("overseas_safety:presence")
            + ("" if day == timezone.localdate() else f"?{urlencode({'date': day.isoformat()})}"),
        },
    )


LISTED = 200


urlpatterns = [
    path("presence/", presence_overview, name="presence"),
    path("presence/<str:code>/", presence_country, name="presence_country"),
]
