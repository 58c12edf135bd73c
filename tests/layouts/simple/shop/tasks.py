import logging

from celery import shared_task
from myproject.metrics import orders_placed

from .models import Order

audit = logging.getLogger("shop.audit")


@shared_task
def confirm_order(order_id: int) -> None:
    Order.objects.filter(pk=order_id).update(confirmed=True)
    orders_placed.labels(channel="web").inc()
    audit.info("order confirmed", extra={"order_id": order_id})
