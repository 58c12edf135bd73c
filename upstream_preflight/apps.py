"""The Django app: registers the monitoring checks when the target adds it to INSTALLED_APPS."""

from django.apps import AppConfig


class UpstreamPreflightConfig(AppConfig):
    name = "upstream_preflight"
    verbose_name = "upstream-preflight"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from upstream_preflight.checks import register_monitoring_checks

        register_monitoring_checks()
