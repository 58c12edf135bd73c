"""gunicorn for the bench: 2 sync workers on the loopback port in BENCH_PORT."""

import os

bind = f"127.0.0.1:{os.environ.get('BENCH_PORT', '8000')}"
workers = 2
worker_class = "sync"
timeout = 30  # gunicorn's default: a worker stuck longer is killed and restarted
graceful_timeout = 2
backlog = 2048
accesslog = None
errorlog = "-"
loglevel = "warning"
