import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, read_env

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_file_database_really_runs_in_wal_mode(tmp_path):
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "wal"


def test_database_url_selects_postgresql():
    db = database_from_url("postgres://rabta:s%40cret@db.internal:6543/rabta?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "rabta",
        "rabta",
        "s@cret",
        "db.internal",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://x@y/", "sqlite:///var/db.sqlite3"])
def test_bad_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_booleans_and_integers_are_typed(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        read_env()
    monkeypatch.setenv("DEBUG", "off")
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "ten")
    with pytest.raises(ImproperlyConfigured):
        read_env()


def _manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="a-production-secret-" + "x9Y2z" * 10,
        ALLOWED_HOSTS="rabta.pec.org.pk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.prod")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_migrations_are_in_step_with_models():
    result = _manage(
        "makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="config.settings.test"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_never_imports_django():
    engine = ROOT / "rabta" / "engine"
    offenders = []
    for path in engine.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.split(".")[0] in ("django", "ninja", "celery")
                or n.startswith("rabta.")
                and not n.startswith("rabta.engine")
            ]
    assert offenders == []


def test_no_module_imports_insights():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "rabta").rglob("*.py")
        if "insights" not in path.parts and "rabta.insights" in path.read_text()
    ]
    assert offenders == []


def test_production_refuses_the_development_key_even_with_debug_set():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.prod", DEBUG="1")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_data_refuses_to_seed_a_production_database(tmp_path):
    result = _manage(
        "seed_demo",
        "--engineers",
        "1",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY="x" * 60,
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
    )
    assert result.returncode != 0
    assert "runs only with DEBUG on" in result.stderr
