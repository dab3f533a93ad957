"""gunicorn's settings for the portal's web process (Procfile, deploy/systemd/). Each reads
the environment, as the portal's own settings do; gunicorn's command line and
GUNICORN_CMD_ARGS still win."""

import os

# Only the reverse proxy on this machine should reach gunicorn: the portal believes the
# X-Forwarded-Proto it is handed (SECURE_PROXY_SSL_HEADER), and only the proxy sets it
# honestly. HOST=0.0.0.0 behind a load balancer on a private network.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Pages are cheap and spend most of their time on the database and the cache: two
# processes per core, at least two so that one slow request never holds the site.
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, 2 * (os.cpu_count() or 1))))
# A request still running after this many seconds is taken as stuck: its worker is
# replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# SIGTERM lets running requests finish for this long; systemd's TimeoutStopSec is longer.
graceful_timeout = 20
# Requests to the journal (systemd) or the terminal (honcho), beside the portal's log.
accesslog = "-"
