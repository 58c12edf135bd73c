"""Business metrics, registered in prometheus_client's default registry."""

from prometheus_client import Counter, Histogram

orders_placed = Counter("shop_orders_placed", "Orders placed", ["channel"])
checkout_seconds = Histogram("shop_checkout_seconds", "Time to complete a checkout")
