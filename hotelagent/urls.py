from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from hotelagent import health
from hotelagent.metrics.exposition import metrics_view
from reservations.guest.views import reservation_page
from security import metrics_access
from tenants.staff_language import choose_staff_language
from webhooks.api import MessageView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("admin/language/", choose_staff_language, name="staff-language"),
    path("admin/", admin.site.urls),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/messages/", MessageView.as_view(), name="messages"),
    path("r/<str:token>/", reservation_page, name="guest-link"),
    path("api/v1/", include("reservations.api.urls")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(
            url_name="schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="api-docs",
    ),
    path("metrics", metrics_access.protected(metrics_view), name="prometheus-django-metrics"),
]

handler404 = "hotelagent.routing.not_found"
handler500 = "hotelagent.routing.server_error"
