from __future__ import annotations

from django.urls import path

from liuhen.accounts import manage_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/verify/", views.otp_view, name="otp"),
    path("two-factor/setup/", views.otp_setup_view, name="otp_setup"),
    path("password/", views.password_change_view, name="password_change"),
    path("me/", views.profile_view, name="profile"),
    path("users/", manage_views.users_view, name="users"),
    path("users/new/", manage_views.user_create_view, name="user_create"),
    path("users/<int:pk>/", manage_views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", manage_views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/disable/", manage_views.user_disable_view, name="user_disable"),
    path("users/<int:pk>/enable/", manage_views.user_enable_view, name="user_enable"),
    path("users/<int:pk>/unlock/", manage_views.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/password/", manage_views.user_password_view, name="user_password"),
    path("users/<int:pk>/reset-2fa/", manage_views.user_reset_2fa_view, name="user_reset_2fa"),
    path("users/<int:pk>/roles/grant/", manage_views.role_grant_view, name="role_grant"),
    path("users/<int:pk>/roles/revoke/", manage_views.role_revoke_view, name="role_revoke"),
    path(
        "users/<int:pk>/certificates/new/",
        manage_views.certificate_add_view,
        name="certificate_add",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        manage_views.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("units/", manage_views.units_view, name="units"),
    path("units/new/", manage_views.unit_create_view, name="unit_create"),
    path("units/<int:pk>/edit/", manage_views.unit_edit_view, name="unit_edit"),
    path("security/", manage_views.security_settings_view, name="security_settings"),
]
