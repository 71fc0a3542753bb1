"""gunicorn settings of the portal (docs/deploy.md). Start it with:

    gunicorn --config deploy/gunicorn.conf.py baolam_portal.wsgi

Every value can be overridden through the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) so the
systemd unit's EnvironmentFile is the one place a deployment changes.
"""

import multiprocessing
import os

# Behind nginx on the same machine: listen on loopback (or a unix socket: unix:/run/baolam-portal/gunicorn.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers: about two per core. Every request is short; reports and imports are bounded by their limits.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A worker that has not answered for this long is killed and replaced (the largest import, 20,000 rows,
# stays well below it); nginx's proxy_read_timeout is set a little higher.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application in each worker (not in the master) so `systemctl reload` picks up new code.
preload_app = False
# Only nginx on this machine may claim HTTPS through X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_protocol = False
# Requests: refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# gunicorn's control socket (for `gunicornc`) in systemd's RuntimeDirectory, not in the service's home
# (read-only under the unit's sandbox); set GUNICORN_CONTROL_SOCKET=off to go without it.
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/baolam-portal/gunicorn.ctl")
if _control == "off" or not os.path.isdir(os.path.dirname(_control)):
    control_socket_disable = True
else:
    control_socket = _control
# Logs go to standard output / error: journald (systemd) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The path without its query string: a search (?q=) may hold a name or a national ID, which must never
# reach a log. %({x-forwarded-for}i)s is the real client address behind nginx.
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
