"""Shared helpers for the benches and the end-to-end tests.

- `free_port()`: a free TCP port on 127.0.0.1.
- `Gunicorn`: start an app under gunicorn with a given DATABASE_URL and instance folder, wait
  for its health check, list and kill its workers, stop it.
- `prepare_database()`: a fresh SQLite file or PostgreSQL schema, migrated with the real
  Alembic migrations (`flask db upgrade`), and `create_site()` (the `flask sites create` CLI).
- `signed()`: the body and Standard Webhooks headers of one delivery.

Nothing here imports the Flask app: the service always runs in its own processes.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_BASE_URL = os.environ.get("BENCH_POSTGRES_URL",
                             "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn() -> str:
    exe = BIN / "gunicorn"
    return str(exe) if exe.exists() else "gunicorn"


@dataclass
class Gunicorn:
    """One gunicorn master with `workers` workers serving `app` on a free port."""

    app: str = "wsgi:app"
    env: Mapping[str, str] = field(default_factory=dict)
    workers: int = 2
    threads: int = 1
    health_path: str = "/healthz"
    log_path: Path | None = None
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Gunicorn:
        self.port = self.port or free_port()
        env = {**os.environ, **self.env}
        env.setdefault("PYTHONUNBUFFERED", "1")
        cmd = [_gunicorn(), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
               "--graceful-timeout", "5", "--timeout", "60", "--backlog", "2048",
               # gunicorn 27's control socket defaults to one path per user: concurrent
               # servers (tests, benches, `make run`) would fight over it.
               "--no-control-socket"]
        if self.threads > 1:
            cmd += ["--threads", str(self.threads)]
        cmd.append(self.app)
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log,
                                     start_new_session=True)
        if log is not subprocess.DEVNULL:
            log.close()
        self.wait_healthy(timeout)
        # Every worker must be up, not just the first one that answered.
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def wait_healthy(self, timeout: float = 30) -> float:
        """Poll the health check until it answers 200; return how long that took."""
        start = time.monotonic()
        last: object = None
        while time.monotonic() - start < timeout:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}"
                                   + self._log_tail())
            try:
                r = requests.get(self.url + self.health_path, timeout=2)
                if r.status_code == 200:
                    return time.monotonic() - start
                last = r.status_code
            except requests.RequestException as exc:
                last = exc
            time.sleep(0.05)
        raise TimeoutError(f"{self.url}{self.health_path} not healthy after {timeout} s: {last}"
                           + self._log_tail())

    def _log_tail(self) -> str:
        if self.log_path and Path(self.log_path).exists():
            return "\n" + Path(self.log_path).read_text(errors="replace")[-3000:]
        return ""

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                                 capture_output=True, text=True, check=False).stdout
        except OSError:
            return []
        return [int(p) for p in out.split()]

    def kill_worker(self, sig: int = signal.SIGKILL) -> int | None:
        """SIGKILL one worker (the master forks a new one); return its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = pids[int(time.monotonic() * 1000) % len(pids)]
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return None
        return pid

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- databases ------------------------------------------------------------------------------

@dataclass
class Database:
    kind: str  # "sqlite" or "postgres"
    url: str
    instance: Path
    schema: str | None = None

    def drop(self) -> None:
        if self.schema:
            import sqlalchemy as sa
            engine = sa.create_engine(PG_BASE_URL)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            engine.dispose()


def service_env(db: Database, **extra: str) -> dict[str, str]:
    """Environment for the real service (production config) on this database."""
    env = {"DATABASE_URL": db.url, "MODERATION_INSTANCE": str(db.instance),
           "MODERATION_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "SECRETS_KEY": _bench_secrets_key(db), "FLASK_APP": "wsgi"}
    env.update(extra)
    return env


def _bench_secrets_key(db: Database) -> str:
    """One Fernet key per bench database (production refuses to start without SECRETS_KEY;
    the CLI that made the site and the server must share it)."""
    path = db.instance / "bench_secrets_key"
    if not path.exists():
        from cryptography.fernet import Fernet
        path.write_text(Fernet.generate_key().decode())
    return path.read_text().strip()


def _flask(db: Database, *args: str, **env: str) -> str:
    flask = BIN / "flask"
    out = subprocess.run([str(flask) if flask.exists() else "flask", *args], cwd=ROOT,
                         env={**os.environ, **service_env(db), **env},
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def prepare_database(kind: str, workdir: Path, name: str = "bench") -> Database:
    """A fresh, migrated database: an SQLite file in `workdir`, or a PostgreSQL schema."""
    workdir = Path(workdir)
    instance = workdir / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        db = Database(kind, f"sqlite:///{workdir / (name + '.sqlite3')}", instance)
    elif kind == "postgres":
        import sqlalchemy as sa
        schema = f"{name}_{os.getpid()}"
        engine = sa.create_engine(PG_BASE_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        sep = "&" if "?" in PG_BASE_URL else "?"
        url = f"{PG_BASE_URL}{sep}options={quote('-csearch_path=' + schema)}"
        db = Database(kind, url, instance, schema)
    else:
        raise ValueError(f"unknown database kind {kind!r}")
    _flask(db, "db", "upgrade")
    return db


def create_site(db: Database, slug: str, region: str = "GB") -> str:
    """`flask sites create`; return the site's webhook secret."""
    out = _flask(db, "sites", "create", slug, "--region", region)
    match = re.search(r"^secret: (\S+)$", out, re.M)
    if not match:
        raise RuntimeError(f"no secret in: {out}")
    return match.group(1)


# --- deliveries -----------------------------------------------------------------------------

def signed(secret: str, payload, *, msg_id: str | None = None,
           timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    """Body and headers of one Standard Webhooks delivery (the service's own signer)."""
    from moderation.signing import sign_headers  # the repo root is on sys.path

    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = sign_headers(secret, body, msg_id=msg_id, timestamp=timestamp)
    headers["Content-Type"] = "application/json"
    return body, headers


TEXTS = [
    "Thanks for the physio tips, they helped with my legs.",
    "My mum has MS too and this article made us both feel less alone.",
    "I disagree with the section on diet, the evidence is thin.",
    "What was the point of this article? Badly written and useless.",
    "I'm so tired of everything, I feel hopeless and can't cope anymore.",
    "You are an idiot if you believe this rubbish.",
    "Has anyone tried the new medication? Side effects?",
    "Great read, sharing with my support group.",
]


def comment(cid: str, text: str | None = None, i: int = 0) -> dict:
    """A realistic comment: author, article, date; text cycles through a small mix."""
    return {"id": cid, "text": text or TEXTS[i % len(TEXTS)],
            "author": {"id": f"a{i % 97}", "name": "Reader", "email": f"r{i % 97}@example.net"},
            "article": {"url": f"https://news.example.org/a/{i % 13}", "title": "Living with MS"},
            "posted_at": "2026-11-25T10:00:00Z"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
