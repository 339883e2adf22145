"""/foreign-offices/: the public guide, enquiry and directory, and the registered organisation's pages."""

from .views import directory, guide, office

app_name = "foreign_offices"

urlpatterns = [
    *guide.urlpatterns,
    *directory.urlpatterns,
    *office.urlpatterns,
]
