"""Pages for identity and profiles, one module per topic; ``urls.py`` and the axes settings
name them through this package."""

from rabta.accounts.views.auth import (
    LoginView,
    lockout_key,
    lockout_response,
    signup,
    verify_email,
    verify_email_sent,
)
from rabta.accounts.views.institutions import institution_create, institution_detail, invitation
from rabta.accounts.views.notifications import notification_settings, time_zone_offer
from rabta.accounts.views.personal_data import api_tokens, data_export, privacy
from rabta.accounts.views.profiles import (
    account_home,
    contributor_profile_edit,
    engineer_profile_edit,
    user_settings,
)
from rabta.accounts.views.staff import register_import, verification_decide, verification_queue
from rabta.accounts.views.two_factor import two_factor_setup, two_factor_verify

__all__ = [
    "LoginView",
    "account_home",
    "api_tokens",
    "contributor_profile_edit",
    "data_export",
    "engineer_profile_edit",
    "institution_create",
    "institution_detail",
    "invitation",
    "lockout_key",
    "lockout_response",
    "notification_settings",
    "privacy",
    "register_import",
    "signup",
    "time_zone_offer",
    "two_factor_setup",
    "two_factor_verify",
    "user_settings",
    "verification_decide",
    "verification_queue",
    "verify_email",
    "verify_email_sent",
]
