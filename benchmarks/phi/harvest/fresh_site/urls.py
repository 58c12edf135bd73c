from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from fresh_site import views

urlpatterns = [
    path("patients/by-ssn/<str:value>/", views.by_ssn),
    path("patients/by-mrn/<str:value>/", views.by_mrn),
    path("patients/search/", views.search),
    path("patients/<int:pk>/edit/", views.edit),
    path("patients/<int:pk>/chart/", views.chart),
    path("eligibility/", views.eligibility),
    path("api/orders/<str:number>/", views.order),
    path("api/events/", views.events),
    path("api/invoices/<str:number>/pdf/", views.invoice_pdf),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
