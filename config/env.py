"""The one typed settings reader.

Every setting that may differ between machines is read here, from the environment only,
and handed to the settings modules as a frozen dataclass.  Nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def _list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``postgres://user:pass@host:port/name?opt=val`` into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must use the postgres:// scheme, not {parsed.scheme!r}"
        )
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": _int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


@dataclass(frozen=True)
class Env:
    debug: bool
    secret_key: str
    allowed_hosts: tuple[str, ...]
    csrf_trusted_origins: tuple[str, ...]
    database_url: str
    sqlite_path: Path
    broker_path: Path
    email_file_path: Path
    redis_url: str
    celery_broker_url: str
    email_url_host: str
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    email_backend: str
    default_from_email: str
    site_url: str
    hsts_seconds: int
    secure_ssl_redirect: bool
    login_failure_limit: int
    login_cooloff_minutes: int
    log_level: str
    register_name_key: str
    root_urlconf: str
    small_cell_threshold: int
    beat_every_at_most: int
    jobs_stale_seconds: int
    suggester_warm: bool

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    @property
    def broker_url(self) -> str:
        return self.celery_broker_url or self.redis_url


def read_env() -> Env:
    debug = _bool("DEBUG", False)
    email_host = _str("EMAIL_HOST")
    # No mail server: in development each message lands as a file in the mail log (var/mail),
    # elsewhere on the console.
    if email_host:
        default_backend = "django.core.mail.backends.smtp.EmailBackend"
    elif debug:
        default_backend = "django.core.mail.backends.filebased.EmailBackend"
    else:
        default_backend = "django.core.mail.backends.console.EmailBackend"
    return Env(
        debug=debug,
        secret_key=_str("SECRET_KEY"),
        allowed_hosts=_list("ALLOWED_HOSTS", ("127.0.0.1", "localhost")),
        csrf_trusted_origins=_list("CSRF_TRUSTED_ORIGINS", ()),
        database_url=_str("DATABASE_URL"),
        sqlite_path=Path(_str("SQLITE_PATH", str(BASE_DIR / "var" / "rabta.sqlite3"))),
        broker_path=Path(_str("BROKER_PATH", str(BASE_DIR / "var" / "broker"))),
        email_file_path=Path(_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))),
        redis_url=_str("REDIS_URL"),
        celery_broker_url=_str("CELERY_BROKER_URL"),
        email_url_host=email_host,
        email_port=_int("EMAIL_PORT", 587),
        email_user=_str("EMAIL_HOST_USER"),
        email_password=_str("EMAIL_HOST_PASSWORD"),
        email_use_tls=_bool("EMAIL_USE_TLS", True),
        email_backend=_str("EMAIL_BACKEND", default_backend),
        default_from_email=_str("DEFAULT_FROM_EMAIL", "Rabta <no-reply@rabta.pec.org.pk>"),
        site_url=_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        hsts_seconds=_int("SECURE_HSTS_SECONDS", 31536000),
        secure_ssl_redirect=_bool("SECURE_SSL_REDIRECT", True),
        login_failure_limit=_int("LOGIN_FAILURE_LIMIT", 8),
        login_cooloff_minutes=_int("LOGIN_COOLOFF_MINUTES", 15),
        log_level=_str("LOG_LEVEL", "INFO").upper(),
        register_name_key=_str("REGISTER_NAME_KEY"),
        root_urlconf=_str("ROOT_URLCONF", "config.urls"),
        small_cell_threshold=_int("SMALL_CELL_THRESHOLD", 10),
        # seconds; 0 keeps the schedule.  Tests and demos that watch jobs happen set it low.
        beat_every_at_most=_int("BEAT_EVERY_AT_MOST", 0),
        jobs_stale_seconds=_int("JOBS_STALE_SECONDS", 120),
        # a worker that serves the skill suggester loads its model as each process starts
        suggester_warm=_bool("SUGGESTER_WARM", True),
    )
