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
import threading
import time

_env = os.environ.get

bind = _env("GUNICORN_BIND", "127.0.0.1:" + _env("PORT", "8000"))
# Processes use the cores: one per core, plus one to take a core that a request waiting on the database (a
# redemption's commit) leaves. Searches hardly wait on it any more (webapp/search/rowcache.py), so more
# processes than that only queue on the CPU: on 2 cores, 5 workers gave cached search pages a p95 of 36-68 ms
# and waits up to 0.5 s, 3 workers 17 ms (and more pages per second); redemptions were the same within noise.
workers = int(_env("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# One thread per worker on Python 3.11: its cyclic garbage collector, run from one thread while another is
# inside a frame, corrupts memory now and then (CPython gh-111363; 3.12 runs the collector only at safe points).
# Under 16 clients asking for search pages, gthread workers died with SIGSEGV within seconds; sync workers and
# a process with the collector off never did. From Python 3.12, threads serve the requests that wait on the
# database (GUNICORN_WORKER_CLASS=gthread, GUNICORN_THREADS).
worker_class = _env("GUNICORN_WORKER_CLASS", "gthread" if sys.version_info >= (3, 12) else "sync")
threads = int(_env("GUNICORN_THREADS", 4 if worker_class == "gthread" else 1))
timeout = int(_env("GUNICORN_TIMEOUT", 30))  # a worker silent this long is killed and replaced
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", 30))
keepalive = int(_env("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then (memory). Not often: a new worker starts with empty caches (pages, reference
# rows, cards), and at a few hundred requests a second per worker 5000 requests meant a new one every 20 s.
max_requests = int(_env("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = int(_env("GUNICORN_MAX_REQUESTS_JITTER", 5000))
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
# The master supervises it like its web workers: a dead index worker is started again (after a pause that
# grows while it keeps dying), and the index worker exits by itself if the master is killed.
os.environ.setdefault("SEARCH_INDEX_MODE", "worker")


class IndexWorkerSupervisor:
    """Keeps one `flask index-worker` child of the gunicorn master running."""

    def __init__(self, log, interval):
        self.log, self.interval = log, interval
        self.proc = None
        self.stopping, self.lock = threading.Event(), threading.Lock()
        self.thread = threading.Thread(target=self._watch, name="index-worker-supervisor", daemon=True)

    def start(self):
        self._spawn()
        self.thread.start()

    def _spawn(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "index-worker",
                                      "--interval", self.interval, "--parent-pid", str(os.getpid())])
        self.started = time.monotonic()
        self.log.info("index worker started (pid %s)", self.proc.pid)

    def _watch(self):
        pause = 1.0
        while not self.stopping.wait(1.0):
            # gunicorn's SIGCHLD handler may reap the child first: poll() then reports 0.
            code = self.proc.poll()
            if code is None:
                continue
            if time.monotonic() - self.started > 60:
                pause = 1.0  # it ran a good while: a fresh failure, not a crash loop
            self.log.error("index worker (pid %s) exited with %s; starting another in %.0f s",
                           self.proc.pid, code, pause)
            if self.stopping.wait(pause):
                return
            with self.lock:
                if self.stopping.is_set():
                    return
                self._spawn()
            pause = min(pause * 2, 60.0)

    def stop(self):
        with self.lock:
            self.stopping.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


_supervisor = None


def when_ready(server):
    global _supervisor
    if os.environ.get("SEARCH_INDEX_MODE") == "worker" and _env("INDEX_WORKER", "1") != "0":
        _supervisor = IndexWorkerSupervisor(server.log, _env("INDEX_WORKER_INTERVAL", "1"))
        _supervisor.start()


def post_worker_init(worker):
    # Before the worker takes its first request: compile the templates, open the search index and build what a
    # fresh process's first searches would otherwise wait for (a second or more on a large index).
    from webapp.serving import warm_up
    warm_up(worker.wsgi)


def on_exit(server):
    if _supervisor is not None:
        _supervisor.stop()
