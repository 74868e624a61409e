from __future__ import annotations

from django.urls import path

from liuhen.accounts.views import login, profile, security, units, users

app_name = "accounts"
urlpatterns = [
    path("login/", login.login_view, name="login"),
    path("logout/", login.logout_view, name="logout"),
    path("login/verify/", login.otp_view, name="otp"),
    path("two-factor/setup/", login.otp_setup_view, name="otp_setup"),
    path("password/", profile.password_change_view, name="password_change"),
    path("me/", profile.profile_view, name="profile"),
    path("users/", users.users_view, name="users"),
    path("users/new/", users.user_create_view, name="user_create"),
    path("users/<int:pk>/", users.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit_view, name="user_edit"),
    path("users/<int:pk>/disable/", users.user_disable_view, name="user_disable"),
    path("users/<int:pk>/enable/", users.user_enable_view, name="user_enable"),
    path("users/<int:pk>/unlock/", users.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/password/", users.user_password_view, name="user_password"),
    path("users/<int:pk>/reset-2fa/", users.user_reset_2fa_view, name="user_reset_2fa"),
    path("users/<int:pk>/roles/grant/", users.role_grant_view, name="role_grant"),
    path("users/<int:pk>/roles/revoke/", users.role_revoke_view, name="role_revoke"),
    path("users/<int:pk>/certificates/new/", users.certificate_add_view, name="certificate_add"),
    path(
        "certificates/<int:pk>/revoke/",
        users.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("units/", units.units_view, name="units"),
    path("units/new/", units.unit_create_view, name="unit_create"),
    path("units/<int:pk>/edit/", units.unit_edit_view, name="unit_edit"),
    path("security/", security.security_settings_view, name="security_settings"),
]
