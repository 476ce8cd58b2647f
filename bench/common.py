"""What every step of the benchmark shares: where it keeps its files, and the environment of
the app under test (production settings, plain HTTP on 127.0.0.1, the benchmark's databases)."""

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = BASE_DIR / "var" / "bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def secret_key() -> str:
    """One key for every step (sessions made by one step are read by the server), kept in var/."""
    path = VAR / "secret-key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def app_env(database_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "ALLIANCE_VAR_DIR": str(VAR),
        "SITE_URL": "http://127.0.0.1",
        # The web workers share their page copies, as the README's deployment has them.
        "PAGE_CACHE_URL": REDIS_URL,
        **extra,
    }


def forget_page_copies() -> int:
    """Remove the page copies an earlier run left in the benchmark's Redis database: a dataset
    made again has the same ids and stamps, so its copies would be found again."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match="alliance-pages:*", count=1000))
    return client.delete(*keys) if keys else 0
