"""A small Django project for `benchmarks/bench_status_view.py`: the status view beside a
constant JSON view, an ordinary page, django-health-check and django-watchman, all on the same
Redis cache and database. Configured from BENCH_* environment variables set by the bench."""
