"""URL map. Public: /, /accounts/login/, /i18n/setlang/, /healthz, /api/schema/ and /api/docs/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from apec_cards.api import CardApplicationViewSet, CardViewSet, EconomyViewSet
from approvals.api import HandoverViewSet, NoticeViewSet, ObjectionViewSet, TravelApplicationViewSet
from exchanges.api import ROUTES as EXCHANGES_ROUTES
from foreign_affairs import views
from foreign_affairs.accounts import password_reset
from foreign_affairs.accounts.api import MembershipViewSet, OrganizationViewSet, PersonViewSet
from foreign_affairs.accounts.forms import SignInForm
from foreign_affairs.api import views as api
from foreign_affairs.documents import views as documents_views
from foreign_affairs.documents.api import DocumentViewSet
from foreign_affairs.notifications.api import NotificationViewSet
from foreign_affairs.privacy.api import ROUTES as PRIVACY_ROUTES
from foreign_affairs.reports.api import ReportJobViewSet
from foreign_affairs.security.api import CountryAdvisoryViewSet
from foreign_offices.api import ROUTES as FOREIGN_OFFICES_ROUTES
from overseas_safety.api import ROUTES as SAFETY_ROUTES
from projects.api import ROUTES as PROJECTS_ROUTES
from training.api import ROUTES as TRAINING_ROUTES

admin.site.site_header = _("Henan Foreign and Overseas Chinese Affairs Office — back office")
admin.site.site_title = _("Henan FAO back office")
admin.site.index_title = _("Work of the office")

router = routers.DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("documents", DocumentViewSet, basename="document")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("travel-applications", TravelApplicationViewSet, basename="travel-application")
router.register("security/advisories", CountryAdvisoryViewSet, basename="advisory")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("passport-handovers", HandoverViewSet, basename="passport-handover")
router.register("apec-cards/applications", CardApplicationViewSet, basename="apec-application")
router.register("apec-cards/cards", CardViewSet, basename="apec-card")
router.register("apec-cards/economies", EconomyViewSet, basename="apec-economy")
router.register("reports", ReportJobViewSet, basename="report")
for prefix, viewset, basename in SAFETY_ROUTES:
    router.register(f"safety/{prefix}", viewset, basename=basename)
for prefix, viewset, basename in FOREIGN_OFFICES_ROUTES:
    router.register(f"foreign-offices/{prefix}", viewset, basename=basename)
# projects/achievements/ before projects/{id}/ (the API's ROUTES are in that order).
for prefix, viewset, basename in PROJECTS_ROUTES:
    router.register(f"projects/{prefix}" if prefix else "projects", viewset, basename=basename)
for prefix, viewset, basename in EXCHANGES_ROUTES:
    router.register(f"exchanges/{prefix}", viewset, basename=basename)
for prefix, viewset, basename in TRAINING_ROUTES:
    router.register(f"training/{prefix}", viewset, basename=basename)
for prefix, viewset, basename in PRIVACY_ROUTES:
    router.register(f"privacy/{prefix}", viewset, basename=basename)

api_v1 = [
    path("auth/token/", api.TokenView.as_view(), name="token"),
    path("me/", api.MeView.as_view(), name="me"),
    *router.urls,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("verify/", documents_views.verify, name="verify_form"),
    path("verify/<str:code>/", documents_views.verify, name="verify"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/password_reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("foreign_affairs.accounts.urls")),
    path("documents/", include("foreign_affairs.documents.urls")),
    path("notifications/", include("foreign_affairs.notifications.urls")),
    path("applications/", include("approvals.urls")),
    path("notices/", include("approvals.notices_urls")),
    path("apec/", include("apec_cards.urls")),
    path("safety/", include("overseas_safety.urls")),
    path("foreign-offices/", include("foreign_offices.urls")),
    path("projects/", include("projects.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("foreign_affairs.reports.urls")),
    path("privacy/", include("foreign_affairs.privacy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Under /api/ a path that matches nothing answers in the API's error shape too.
handler404 = "foreign_affairs.views.page_not_found"
