from __future__ import annotations

from django.urls import include, path

from liuhen.api.urls import api

urlpatterns = [
    path("", include("liuhen.web.urls")),
    path("accounts/", include("liuhen.accounts.urls")),
    path("audit/", include("liuhen.core.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "liuhen.web.views.forbidden"
handler404 = "liuhen.web.views.not_found"
handler500 = "liuhen.web.views.server_error"
