"""gunicorn settings for Kosodate Portal: `make serve`, or
`gunicorn -c gunicorn.conf.py 'webapp:create_app()'`. Every setting can be changed by an environment variable.

Graceful reload (new code, no dropped request): `kill -HUP $(cat instance/gunicorn.pid)` starts new workers and
lets the old ones finish what they are doing (up to GRACEFUL_TIMEOUT seconds). `kill -TERM` stops gracefully.

The app writes one log line per request itself (logger ``webapp.access``: method, path, status, duration and the
request id, which also appears in every other line logged for that request), so gunicorn's own access log is off
unless GUNICORN_ACCESS_LOG names a file (or "-"); its format then carries the same request id."""
import multiprocessing
import os
import subprocess
import sys

_env = os.environ.get

bind = _env("GUNICORN_BIND", "127.0.0.1:" + _env("PORT", "8000"))
# Threads serve the requests that wait on the database; processes use the cores.
workers = int(_env("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(_env("GUNICORN_THREADS", 4))
timeout = int(_env("GUNICORN_TIMEOUT", 30))  # a worker silent this long is killed and replaced
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", 30))
keepalive = int(_env("GUNICORN_KEEPALIVE", 5))
max_requests = int(_env("GUNICORN_MAX_REQUESTS", 5000))  # recycle workers now and then (memory)
max_requests_jitter = int(_env("GUNICORN_MAX_REQUESTS_JITTER", 500))
limit_request_line = 8190
pidfile = _env("GUNICORN_PIDFILE", os.path.join("instance", "gunicorn.pid"))
errorlog = "-"
loglevel = _env("GUNICORN_LOG_LEVEL", "info")
accesslog = _env("GUNICORN_ACCESS_LOG") or None
access_log_format = ('%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s '
                     '"%(a)s"')
# Behind a reverse proxy on the same machine (which sets X-Forwarded-For / -Proto).
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "kosodate-portal"

# Web workers never write the search index: one index worker per instance applies the change log
# (SEARCH_INDEX_MODE=worker). INDEX_WORKER=0 when it runs elsewhere (e.g. its own systemd unit).
os.environ.setdefault("SEARCH_INDEX_MODE", "worker")
_index_worker = None


def when_ready(server):
    global _index_worker
    if os.environ.get("SEARCH_INDEX_MODE") == "worker" and _env("INDEX_WORKER", "1") != "0":
        _index_worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "index-worker",
                                          "--interval", _env("INDEX_WORKER_INTERVAL", "1")])
        server.log.info("index worker started (pid %s)", _index_worker.pid)


def on_exit(server):
    if _index_worker is not None and _index_worker.poll() is None:
        _index_worker.terminate()
        try:
            _index_worker.wait(10)
        except subprocess.TimeoutExpired:
            _index_worker.kill()
