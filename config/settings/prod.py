"""Production settings: everything in base, hardened.  ``manage.py check --deploy`` passes
with no warnings when SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL come from the environment."""

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from config.settings.base import *  # noqa: F403
from config.settings.base import ENV

DEBUG = False
if not ENV.secret_key:
    # base.py lets a DEBUG server run on a development key; production never does.
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production")
SECURE_SSL_REDIRECT = ENV.secure_ssl_redirect
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = ENV.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
