from django.urls import include, path
from health_check.views import HealthCheckView

from status_view import views

urlpatterns = [
    path("constant/", views.constant),
    path("page/", views.page),
    path("api/monitoring/", include("upstream_preflight.urls")),
    path(
        "ht/",
        HealthCheckView.as_view(
            checks=["health_check.checks.Cache", "health_check.checks.Database"]
        ),
    ),
    path("watchman/", include("watchman.urls")),
]
