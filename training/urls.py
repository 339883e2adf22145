"""/training/: the calendar of sessions, a course, enrolling (oneself, colleagues, a delegation from its travel
application), my training and the organisation's learning records, the check-in page opened from the venue's
QR code, the assessment and the certificate, one module per concern."""

from .views import assessment, calendar, check_in, delegation, records

app_name = "training"

urlpatterns = [
    *calendar.urlpatterns,
    *delegation.urlpatterns,
    *records.urlpatterns,
    *check_in.urlpatterns,
    *assessment.urlpatterns,
]
