"""gunicorn's settings for the portal's web process (Procfile, deploy/systemd/). Each is read
as the portal's own settings are: the environment, then .env (asa_portal/environment.py);
gunicorn's command line and GUNICORN_CMD_ARGS still win."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asa_portal.environment import env  # noqa: E402

# Only the reverse proxy on this machine should reach gunicorn: the portal believes the
# X-Forwarded-Proto it is handed (SECURE_PROXY_SSL_HEADER), and only the proxy sets it
# honestly. HOST=0.0.0.0 behind a load balancer on a private network.
host = env.str("HOST", default="127.0.0.1")
port = env.int("PORT", default=8000)
bind = f"{host}:{port}"
# Pages spend most of their time waiting on the database and the cache: two processes per
# core, and at least two, so that one slow request never holds the site.
workers = env.int("WEB_CONCURRENCY", default=max(2, 2 * (os.cpu_count() or 1)))
# A request still running after this many seconds is taken as stuck: its worker is
# replaced.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# SIGTERM lets running requests finish for this long; systemd's TimeoutStopSec is longer.
graceful_timeout = 20
# Requests to the journal (systemd) or the terminal (honcho), beside the portal's log.
accesslog = "-"
# No control socket (gunicornc): the portal does not use it, and its default path,
# ~/.gunicorn/gunicorn.ctl, is one per user, so a second gunicorn of the same user (a
# second portal, a test) would take it over; systemd's ProtectHome makes it unwritable.
control_socket_disable = True
