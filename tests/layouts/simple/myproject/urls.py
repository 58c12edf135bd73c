from django.contrib import admin
from django.urls import include, path
from shop import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("django_prometheus.urls")),
    path("admin/", admin.site.urls),
    path("api/monitoring/", include("upstream_preflight.urls")),
]
