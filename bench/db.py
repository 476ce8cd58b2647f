"""The benchmark's own PostgreSQL databases: made, recognised and dropped by name."""

import json
import os
from urllib.parse import urlparse

import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench"


def database_url(suffix: str = "") -> str:
    """BENCH_DATABASE_URL (or the default), with `suffix` added to the database name."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not suffix:
        return url
    parsed = urlparse(url)
    return parsed._replace(path=parsed.path + suffix).geturl()


def _name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    # The benchmark drops and recreates its databases: never one it did not name itself.
    if "bench" not in name:
        raise SystemExit(f"Refusing to use {name!r}: a benchmark database's name contains 'bench'.")
    return name


def _admin(url: str):
    parsed = urlparse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=parsed.username or "postgres",
        password=parsed.password,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
    )
    conn.autocommit = True
    return conn


def recreate(url: str) -> None:
    name = _name(url)
    conn = _admin(url)
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def dataset(url: str) -> dict | None:
    """What the generator recorded on the database (its arguments), if it exists."""
    name = _name(url)
    conn = _admin(url)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cur.fetchone()
    conn.close()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def mark(url: str, signature: dict) -> None:
    name = _name(url)
    conn = _admin(url)
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(json.dumps(signature, sort_keys=True))
            )
        )
    conn.close()


def setup_django(url: str, settings: str = "bench.settings") -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()
