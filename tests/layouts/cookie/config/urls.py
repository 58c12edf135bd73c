from clinic.appointments.api import AppointmentCountView
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("django_prometheus.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/appointments/count/", AppointmentCountView.as_view(), name="appointment-count"),
    path("api/monitoring/", include("upstream_preflight.urls")),
]
