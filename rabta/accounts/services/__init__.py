"""Writes for identity, roles and profiles, one module per domain noun.  Views and API
functions call these and nothing else; every function validates before saving.  The names are
re-exported here, so callers write ``from rabta.accounts import services``."""

from rabta.accounts.services.api_tokens import api_token_create, api_token_revoke
from rabta.accounts.services.contributors import CONTRIBUTOR_EDITABLE, contributor_profile_save
from rabta.accounts.services.engineers import (
    EARLY_CAREER_YEARS,
    ENGINEER_EDITABLE,
    Dimensions,
    engineer_dimensions,
    engineer_profile_save,
    pec_verification_decide,
    register_apply,
    register_finding,
)
from rabta.accounts.services.institutions import (
    INSTITUTION_EDITABLE,
    institution_create,
    institution_invitation_accept,
    institution_invitation_read,
    institution_invite,
    institution_update,
)
from rabta.accounts.services.pec_register import (
    REGISTER_COLUMNS,
    REGISTER_STATUSES,
    RegisterImportResult,
    RegisterRow,
    pec_register_import,
    pec_register_import_start,
)
from rabta.accounts.services.personal_data import (
    deleted_account,
    user_data_archive,
    user_data_export,
    user_data_export_start,
    user_delete,
)
from rabta.accounts.services.two_factor import (
    two_factor_device_pending,
    two_factor_enrol,
    two_factor_match,
)
from rabta.accounts.services.users import (
    RESEND_INTERVAL_SECONDS,
    email_verification_resend,
    email_verify,
    notification_settings_save,
    role_grant,
    user_register,
    user_time_zone_set,
    user_update_settings,
)
from rabta.accounts.tokens import INVITATION_MAX_AGE, INVITATION_SALT

__all__ = [
    "deleted_account",
    "CONTRIBUTOR_EDITABLE",
    "EARLY_CAREER_YEARS",
    "ENGINEER_EDITABLE",
    "INSTITUTION_EDITABLE",
    "INVITATION_MAX_AGE",
    "INVITATION_SALT",
    "REGISTER_COLUMNS",
    "REGISTER_STATUSES",
    "RESEND_INTERVAL_SECONDS",
    "Dimensions",
    "RegisterImportResult",
    "RegisterRow",
    "api_token_create",
    "api_token_revoke",
    "contributor_profile_save",
    "email_verification_resend",
    "email_verify",
    "engineer_dimensions",
    "engineer_profile_save",
    "institution_create",
    "institution_invitation_accept",
    "institution_invitation_read",
    "institution_invite",
    "institution_update",
    "notification_settings_save",
    "pec_register_import",
    "pec_register_import_start",
    "pec_verification_decide",
    "register_apply",
    "register_finding",
    "role_grant",
    "two_factor_device_pending",
    "two_factor_enrol",
    "two_factor_match",
    "user_data_archive",
    "user_data_export",
    "user_data_export_start",
    "user_delete",
    "user_register",
    "user_time_zone_set",
    "user_update_settings",
]
