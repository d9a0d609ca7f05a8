"""gunicorn's settings for a QAF deployment: ``gunicorn app:app`` reads this file from the project root.

Each setting can be changed by its environment variable. Measured here (bench/README.md): sync
workers, one a CPU, take 2 cores to the submission rates in the README; a quarter's workbook for a
county can take longer than gunicorn's default 30 s, hence the timeout.
"""

import multiprocessing
import os

# Production: SECRET_KEY and a PostgreSQL DATABASE_URL required, Secure cookies, JSON logs (qaf/deployment.py).
os.environ.setdefault("QAF_ENV", "production")

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak in any library cannot grow for ever.
max_requests = 5000
max_requests_jitter = 500
# Off: an access line has the path, and an invitation or reset link's path is its secret token.
# QAF logs each request itself, by its route's pattern, with the request id (qaf/request_logs.py).
accesslog = None
errorlog = "-"
# The proxy's X-Forwarded-* headers are read by the app (TRUSTED_PROXIES, ProxyFix), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
