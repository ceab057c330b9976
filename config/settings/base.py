"""Settings shared by every environment.  Machine-specific values come from ``config.env``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, database_from_url, read_env
from rabta.core import broker

ENV = read_env()

DEBUG = ENV.debug
if ENV.secret_key:
    SECRET_KEY = ENV.secret_key
elif DEBUG:
    # Only a DEBUG server may run without a secret from the environment.
    SECRET_KEY = "insecure-development-key-never-used-when-debug-is-off"  # noqa: S105
else:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off")

ALLOWED_HOSTS = list(ENV.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(ENV.csrf_trusted_origins)
SITE_URL = ENV.site_url
# Published counts below this are suppressed (rabta.core.privacy).
SMALL_CELL_THRESHOLD = ENV.small_cell_threshold

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "rabta.core",
    "rabta.accounts",
    "rabta.programme",
    "rabta.profiling",
    "rabta.portfolio",
    "rabta.braingain",
    "rabta.community",
    "rabta.insights",
    "rabta.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rabta.accounts.middleware.AccountGateMiddleware",
    "rabta.accounts.middleware.ReaderZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = ENV.root_urlconf  # benchmarks/rush adds its ceiling view this way
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rabta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rabta.site.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
if ENV.uses_postgres:
    DATABASES = {"default": database_from_url(ENV.database_url)}
else:
    ENV.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ENV.sqlite_path,
            "OPTIONS": {
                # IMMEDIATE transactions take the write lock up front, so concurrent writers queue
                # instead of failing with "database is locked" half-way through.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, background work ----------------------------------------------------------------
if ENV.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
            "KEY_PREFIX": "rabta",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rabta",
        }
    }

# Background work always goes through a broker to a worker (`make run` starts one, and beat).
# With REDIS_URL (or CELERY_BROKER_URL) set, Redis carries the messages; otherwise the embedded
# broker keeps them as files under var/broker, with nothing to install.
if ENV.broker_url:
    CELERY_BROKER_URL = ENV.broker_url
else:
    CELERY_BROKER_URL = f"{broker.ALIAS}://"
    CELERY_BROKER_TRANSPORT_OPTIONS = broker.folders(ENV.broker_path)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
# A job's message is acknowledged when it is done and given back when a worker dies under it;
# the job's row (core.jobs) is what makes running it twice harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # outcomes live in core.Job rows, not in a result backend
CELERY_BEAT_SCHEDULE_FILENAME = str(ENV.broker_path.parent / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Karachi"

# --- identity ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "rabta.accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day: links often wait for the next power window
EMAIL_VERIFICATION_TIMEOUT = 60 * 60 * 24 * 7

# Brute-force protection keyed by account, never by address alone: a whole campus or a mobile
# carrier's NAT shares one address, and one person's typos must not lock them all out.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.login_cooloff_minutes)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "rabta.accounts.views.lockout_key"
AXES_LOCKOUT_CALLABLE = "rabta.accounts.views.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# axes.W006 asks for the address to be part of the lockout key.  That is exactly what we must not
# do here (see above); a generous per-address request limit belongs at the reverse proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Rabta"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers, never from the cookie

# --- email ---------------------------------------------------------------------------------
EMAIL_BACKEND = ENV.email_backend
EMAIL_HOST = ENV.email_url_host
EMAIL_PORT = ENV.email_port
EMAIL_HOST_USER = ENV.email_user
EMAIL_HOST_PASSWORD = ENV.email_password
EMAIL_USE_TLS = ENV.email_use_tls
EMAIL_TIMEOUT = 20
EMAIL_FILE_PATH = str(ENV.email_file_path)
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email

# --- languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "rabta" / "locale"]
LANGUAGE_COOKIE_NAME = "rabta_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "Asia/Karachi"
USE_TZ = True

# --- static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "rabta" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# --- security defaults that hold in every environment ------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
REGISTER_IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Key for the digests of registered names (rabta.accounts.register).  Changing it means
# re-importing the register.
REGISTER_NAME_KEY = ENV.register_name_key or SECRET_KEY

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {"axes": {"level": "WARNING"}},
}
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = False

# Periodic work, run by `celery -A config beat` next to the workers.  Each run is recorded as a
# core.Job row and shown on the staff jobs page.  Deadlines are checked every minute: each check
# is one indexed query when nothing is due.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "jobs-recover": {"task": "rabta.core.tasks.jobs_recover_task", "schedule": 60.0},
    "outcome-reminders": {
        "task": "rabta.portfolio.tasks.outcome_reminders_task",
        "schedule": 6 * 3600.0,
    },
    "offers-expire": {"task": "rabta.programme.tasks.offers_expire_task", "schedule": 60.0},
    "offer-deadline-reminders": {
        "task": "rabta.programme.tasks.offer_deadline_reminders_send",
        "schedule": 3600.0,
    },
    "session-reminders": {
        "task": "rabta.programme.tasks.session_reminders_send",
        "schedule": 3600.0,
    },
    # postings whose classification was interrupted, and priors from the day's outcomes
    "postings-classify": {
        "task": "rabta.profiling.tasks.postings_classify_task",
        "schedule": 3600.0,
    },
    "priors-recalibrate": {
        "task": "rabta.profiling.tasks.priors_recalibrate_task",
        "schedule": 86400.0,
    },
    # Brain Gain requests past their deadline move on; reminders a day before
    "brain-gain-requests": {
        "task": "rabta.braingain.tasks.requests_expire_task",
        "schedule": 60.0,
    },
    # sessions and milestone meetings: a reminder a day before and an hour before
    "brain-gain-meeting-reminders": {
        "task": "rabta.braingain.tasks.meetings_remind_task",
        "schedule": 900.0,
    },
    # the council dashboards' rollups, and last month's report once a month
    "insights-fill": {"task": "rabta.insights.tasks.rollups_fill_task", "schedule": 60.0},
    "insights-monthly-report": {
        "task": "rabta.insights.tasks.monthly_report_task",
        "schedule": 6 * 3600.0,
    },
    # each person's digest at their local hour; emails a lost message or a stopped worker left
    "email-digests": {"task": "rabta.core.tasks.digests_send_task", "schedule": 3600.0},
    "email-sweep": {"task": "rabta.core.tasks.emails_sweep_task", "schedule": 300.0},
}
if ENV.beat_every_at_most:
    for _entry in CELERY_BEAT_SCHEDULE.values():
        _entry["schedule"] = min(float(_entry["schedule"]), float(ENV.beat_every_at_most))
# A job whose worker has not beaten for this long is taken over by another (core.jobs).
JOBS_STALE_SECONDS = ENV.jobs_stale_seconds
# Long actions go to their own queue and worker, so that a 5,000-certificate run never keeps an
# email or a skill suggestion waiting (Procfile.dev; README, "Background processes").
# Emails have a queue of their own too: a worker takes from its queues in turn, so a backlog of
# mail (a cohort's certificates) never delays a deadline check.
JOBS_QUEUE = "jobs"
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    "rabta.core.tasks.email_send_task": {"queue": "email"},
}
CELERY_TASK_ROUTES |= {
    name: {"queue": JOBS_QUEUE}
    for name in (
        "rabta.accounts.tasks.register_import_task",
        "rabta.programme.tasks.certificates_issue_task",
        "rabta.programme.tasks.allocation_run_task",
        "rabta.profiling.tasks.postings_classify_task",
        "rabta.profiling.tasks.postings_import_task",
        "rabta.insights.tasks.report_generate_task",
        "rabta.insights.tasks.monthly_report_task",
    )
}
SUGGESTER_WARM = ENV.suggester_warm
# Events younger than this are rolled up on the next run (a transaction may still be open).
INSIGHTS_FILL_LAG_SECONDS = 5
# How often a live dashboard asks for fresh figures (and the rollups are brought up to date).
INSIGHTS_LIVE_SECONDS = 15
