from django.db import models


class Appointment(models.Model):
    patient_reference = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    reminder_sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Appointment {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"
