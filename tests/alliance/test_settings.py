import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from alliance.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-" + "x" * 60


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "SITE_URL"}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("PORT_NUMBER", "twenty")
    with pytest.raises(ImproperlyConfigured, match="PORT_NUMBER"):
        env_int("PORT_NUMBER", 1)


def test_env_str_and_list_require_a_value_without_a_default(monkeypatch):
    monkeypatch.delenv("MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_str("MISSING")
    with pytest.raises(ImproperlyConfigured):
        env_list("MISSING")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="app.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage(
        "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="a.example"
    )
    assert result.returncode != 0
    assert "50+" in result.stderr


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="alliance.example",
        SITE_URL="https://alliance.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_site_address():
    result = run_manage(
        "check",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="alliance.example",
    )
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_a_bad_debug_value_stops_the_start():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_there_are_no_missing_migrations():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_page_copies_stay_in_each_process_unless_a_private_store_is_named():
    show = "from django.conf import settings as s; print(s.CACHES['pages']['BACKEND'])"
    alone = run_manage("shell", "-c", show)
    shared = run_manage("shell", "-c", show, PAGE_CACHE_URL="redis://127.0.0.1:6379/3")

    assert alone.stdout.strip().endswith("LocMemCache"), alone.stderr
    assert shared.stdout.strip().endswith("ReusingRedisCache"), shared.stderr
