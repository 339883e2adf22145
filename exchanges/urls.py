"""/exchanges/: the public calendar and its iCal feed, friendship cities, the journalists' interview
request form, the enterprise's visits and the programme PDF, one module per concern."""

from .views import enterprise, feeds, media, programme, public

app_name = "exchanges"

urlpatterns = [
    *feeds.urlpatterns,
    *media.urlpatterns,
    *enterprise.urlpatterns,
    *programme.urlpatterns,
    *public.urlpatterns,
]
