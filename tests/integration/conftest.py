"""A real Celery worker, a real Redis and the test database, for the reminder tests.

Each test gets its own Redis database and queue, a mail folder, and helpers to start worker
and `manage.py sweep_reminders` processes against the pytest-django test database (so the
data must be committed: the tests use transactional_db). Workers are always stopped.

They need Redis and PostgreSQL (a worker cannot see SQLite's in-memory test database).
Without them they are skipped, except in CI (CI=true), where a skip would hide a broken
promise: there they fail.
"""

import email
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
SEPARATOR = "-" * 79  # what Django's file backend writes after each message
# Redis databases 9 to 15, one per test in turn; 0 is the application's own.
REDIS_DATABASES = (9 + n % 7 for n in itertools.count())


def _require(ok: bool, reason: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI runs the worker integration tests: {reason}")
    pytest.skip(reason)  # outside CI only: with CI=true the line above fails the run


def _redis_base() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if url.startswith("redis://"):
        return url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return "redis://127.0.0.1:6379"


def wait_for(condition, *, timeout: float = 30, what: str = "it") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Waited {timeout} s for {what}.")


class Harness:
    def __init__(self, *, tmp_path: Path, redis_url: str, queue: str):
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.workers: list[tuple[subprocess.Popen, Path]] = []
        db = connection.settings_dict
        auth = quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"])
        self.env = {
            **os.environ,
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": (
                f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": redis_url,
            "TEST_CELERY_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
        }

    # Processes.

    def sweep(self) -> subprocess.Popen:
        """Start `manage.py sweep_reminders`; read its output with finish()."""
        return subprocess.Popen(
            [sys.executable, "manage.py", "sweep_reminders"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @staticmethod
    def finish(process: subprocess.Popen) -> str:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        return out.strip().splitlines()[-1]

    def run_sweep(self) -> str:
        return self.finish(self.sweep())

    def start_worker(self, **env) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.workers)}.log"
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "alliance",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "-Q",
                self.env["TEST_CELERY_QUEUE"],
                "-n",
                f"{self.env['TEST_CELERY_QUEUE']}-{len(self.workers)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=BASE_DIR,
            env={**self.env, **env},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            # Its own process group: killing it kills its pool processes too.
            start_new_session=True,
        )
        self.workers.append((process, log))
        wait_for(lambda: " ready." in log.read_text(), timeout=30, what="the worker to start")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL, to the worker and its pool: no goodbye, no acknowledgement."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_workers(self) -> None:
        for process, _ in self.workers:
            if process.poll() is None:
                # The test is over: a cold shutdown, the main process stopping its own pool.
                process.send_signal(signal.SIGQUIT)
        for process, _ in self.workers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(log.read_text()[-3000:] for _, log in self.workers)

    # The outbox.

    def emails(self) -> list[email.message.Message]:
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_text().split(SEPARATOR + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
        return messages

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.emails())


@pytest.fixture
def harness(transactional_db, tmp_path):
    import redis

    _require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL): a worker process cannot open the in-memory SQLite "
        "test database",
    )
    redis_url = f"{_redis_base()}/{next(REDIS_DATABASES)}"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        _require(False, f"needs Redis at {redis_url}")
    client.flushdb()
    queue = f"reminders-test-{os.getpid()}-{tmp_path.name}"
    harness = Harness(tmp_path=tmp_path, redis_url=redis_url, queue=queue)
    try:
        yield harness
    finally:
        harness.stop_workers()
        client.flushdb()
        client.close()
