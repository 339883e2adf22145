"""/exchanges/activities/<pk>/programme.pdf: the bilingual programme of an activity (exchanges.programme),
for office staff (any activity, any state) and for the members of an enterprise the activity visits once it
is confirmed, whose copy holds the agenda their visit page shows (their days; another enterprise's items
by their time only). Anyone else signed in gets 404, as for an activity that does not exist; anyone signed
out is sent to sign in. Shown in the browser (inline) under a name with the reference, never kept by a shared
cache: it names the delegation and its agenda."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..programme import file_name, programme_activities_for, render_programme
from ..visits import programme_for


@never_cache
@require_safe
def programme_pdf(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    activity = get_object_or_404(programme_activities_for(request.user), pk=pk)
    if request.user.is_office_staff:
        pdf = render_programme(activity)
    else:
        days, named = programme_for(activity, request.user.organization)
        pdf = render_programme(activity, items=[item for day in days for item in day["items"]], partial=named)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, file_name(activity))
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("activities/<int:pk>/programme.pdf", programme_pdf, name="programme_pdf"),
]
