import structlog
from celery import shared_task

from .models import Appointment

logger = structlog.get_logger("clinic.audit")


@shared_task()
def send_reminder(appointment_id: int) -> bool:
    updated = Appointment.objects.filter(pk=appointment_id, reminder_sent=False).update(
        reminder_sent=True
    )
    logger.info("reminder_sent", appointment_id=appointment_id, updated=updated)
    return bool(updated)
