from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from rabta.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/verify-email/", views.verify_email_sent, name="verify_email_sent"),
    path("accounts/verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset_body.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("me/", views.account_home, name="home"),
    path("me/settings/", views.user_settings, name="settings"),
    path("me/settings/notifications/", views.notification_settings, name="notifications"),
    path("me/settings/time-zone/", views.time_zone_offer, name="time_zone_offer"),
    path("me/engineer/", views.engineer_profile_edit, name="engineer_profile"),
    path("me/contributor/", views.contributor_profile_edit, name="contributor_profile"),
    path("me/privacy/", views.privacy, name="privacy"),
    path("me/privacy/export/", views.data_export, name="data_export"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("institutions/<int:institution_id>/", views.institution_detail, name="institution_detail"),
    path("institutions/invitations/<str:token>/", views.invitation, name="invitation"),
    path("staff/verification/", views.verification_queue, name="verification_queue"),
    path(
        "staff/verification/<int:profile_id>/",
        views.verification_decide,
        name="verification_decide",
    ),
    path("staff/register-import/", views.register_import, name="register_import"),
]
