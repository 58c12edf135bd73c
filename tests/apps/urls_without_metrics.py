"""A root URLconf without django_prometheus's URLs (for preflight.W601)."""

from django.urls import include, path

urlpatterns = [path("api/monitoring/", include("upstream_preflight.urls"))]
