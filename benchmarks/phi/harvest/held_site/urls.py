from __future__ import annotations

from django.urls import path

from held_site import views

urlpatterns = [
    path("healthz", views.healthz),
    path("static/<path:path>", views.static),
    path("api/version", views.version),
    path("api/events/", views.events),
    path("api/orders/<str:number>/", views.order),
    path("api/invoices/", views.invoices),
    path("api/jobs/<str:job_id>/", views.job),
    path("go/", views.go),
    path("patients/by-ssn/<str:value>/", views.patient_by),
    path("patients/by-mrn/<str:value>/", views.patient_by),
    path("patients/by-email/<str:value>/", views.patient_by),
    path("patients/by-name/<str:value>/", views.patient_by),
    path("patients/by-name/<str:value>/<str:given>/", views.patient_by),
    path("patients/by-phone/<str:value>/", views.patient_by),
    path("patients/search/", views.patient_search),
    path("patients/<int:pk>/", views.patient),
    path("patients/<int:pk>/chart/", views.chart),
    path("patients/<int:pk>/edit/", views.edit),
    path("records/<path:name>", views.record_file),
    path("accounts/login/", views.login),
]
