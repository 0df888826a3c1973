"""Real server processes for the serving tests: a database URL each subprocess can use, `flask` commands, and
gunicorn started from the repository's gunicorn.conf.py on a free loopback port."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_URL = os.environ.get("TEST_DATABASE_URL")
SECRET = "serving-test-secret-0123456789abcdef0123456789"


def _pg(sql: str) -> None:
    import psycopg
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


class Database:
    """A fresh database for subprocesses: a SQLite file, or a PostgreSQL schema (search_path in the URL)."""

    def __init__(self, tmp_path):
        self.schema = None
        if PG_URL:
            self.schema = "s_" + uuid.uuid4().hex[:12]
            _pg(f"CREATE SCHEMA {self.schema}")
            sep = "&" if "?" in PG_URL else "?"
            self.url = f"{PG_URL}{sep}options=-csearch_path%3D{self.schema}"
        else:
            self.url = "sqlite:///" + str(tmp_path / "served.sqlite3")

    def drop(self) -> None:
        if self.schema:
            _pg(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(db_url: str, index_dir: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "FLASK_"))}
    env.update(DATABASE_URL=db_url, SEARCH_INDEX_DIR=index_dir, SECRET_KEY=SECRET, KOSODATE_ENV="production",
               SESSION_COOKIE_SECURE="0", MAIL_BACKEND="outbox", PYTHONPATH=ROOT)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def flask(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def get(url: str, headers: dict | None = None, timeout: float = 10):
    """(status, headers, body bytes) of a GET, errors included."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def all_pids() -> set:
    return {int(p) for p in os.listdir("/proc") if p.isdigit()}


def children(parent: int, marker: bytes = b"") -> set:
    """The live child processes of ``parent`` whose command line contains ``marker``."""
    pids = set()
    for pid in all_pids():
        try:
            with open(f"/proc/{pid}/stat") as f:
                state, ppid = f.read().rsplit(")", 1)[1].split()[:2]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if int(ppid) == parent and state != "Z" and marker in cmd:
            pids.add(pid)
    return pids


def wait_for(predicate, seconds: float, what: str, log=lambda: ""):
    """Poll ``predicate`` until it returns something truthy (returned), or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}\n{log()[-3000:]}")


class Gunicorn:
    """gunicorn with the repository's config, on a free loopback port; its log goes to a file."""

    def __init__(self, tmp_path, env: dict, name: str = "web"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"{name}.log"
        self.pidfile = tmp_path / f"{name}.pid"
        self.env = dict(env, GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_PIDFILE=str(self.pidfile),
                        WEB_CONCURRENCY=env.get("WEB_CONCURRENCY", "2"), INDEX_WORKER_INTERVAL="0.2")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", os.path.join(ROOT, "gunicorn.conf.py"),
                                      "webapp:create_app()"], cwd=ROOT, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT)

    def web_workers(self) -> set:
        """The gunicorn workers (children of the master that run gunicorn, not the index worker)."""
        return children(self.proc.pid, b"gunicorn")

    def index_worker(self) -> int | None:
        found = children(self.proc.pid, b"index-worker")
        return min(found) if found else None

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until(self, path: str, status: int = 200, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited ({self.proc.returncode}):\n{self.log()[-3000:]}")
            try:
                last = get(self.base + path, timeout=5)[0]
                if last == status:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{path} gave {last}, not {status}, within {seconds}s:\n{self.log()[-3000:]}")

    def stop(self, sig=signal.SIGTERM, seconds: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(seconds)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()
        return self.proc.returncode
