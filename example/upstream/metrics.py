"""Business metrics of the example project, registered in prometheus_client's default registry."""

from prometheus_client import Counter, Histogram

claims_processed = Counter("upstream_claims_processed", "Claims processed", ["outcome"])
alert_emails_sent = Counter("upstream_alert_emails_sent", "Alert emails sent")
report_seconds = Histogram("upstream_report_seconds", "Time to build a payer report")
