"""/foreign-offices/: the public guide, enquiry and directory, and the registered organisation's pages, one
module per concern."""

from .views import changes, directory, guide, office, reports

app_name = "foreign_offices"

urlpatterns = [
    *guide.urlpatterns,
    *directory.urlpatterns,
    *office.urlpatterns,
    *reports.urlpatterns,
    *changes.urlpatterns,
]
