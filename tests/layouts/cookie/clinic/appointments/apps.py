from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "clinic.appointments"
    verbose_name = "Appointments"
