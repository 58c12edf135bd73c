"""Include with `path("api/monitoring/", include("upstream_preflight.urls"))`."""

from django.urls import path

from upstream_preflight import views

urlpatterns = [
    path("status/", views.monitoring_status, name="monitoring-status"),
    path("live/", views.monitoring_live, name="monitoring-live"),
]
