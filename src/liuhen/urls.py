from __future__ import annotations

from django.urls import include, path, re_path

from liuhen.api.urls import api, api_not_found
from liuhen.core.urls import audit_patterns, config_patterns

urlpatterns = [
    path("", include("liuhen.web.urls")),
    path("accounts/", include("liuhen.accounts.urls")),
    path("cases/", include("liuhen.cases.urls")),
    path("subjects/", include("liuhen.subjects.urls")),
    path("activities/", include("liuhen.activities.urls")),
    path("deadlines/", include("liuhen.deadlines.urls")),
    path("devices/", include("liuhen.devices.urls")),
    path("media/", include("liuhen.media.urls")),
    path("documents/", include("liuhen.documents.urls")),
    path("delivery/", include("liuhen.delivery.urls")),
    path("archives/", include("liuhen.archives.urls")),
    path("supervision/", include("liuhen.supervision.urls")),
    path("statistics/", include("liuhen.supervision.statistics_urls")),
    path("retrieval/", include("liuhen.retrieval.urls")),
    path("publications/", include("liuhen.disclosure.urls")),
    path("", include("liuhen.portal.urls")),
    path("audit/", include(audit_patterns)),
    path("config/", include(config_patterns)),
    # tus 1.0.0 resumable uploads: plain views (streamed bodies), beside the ninja API.
    path("api/v1/uploads/", include("liuhen.api.tus_urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404, not the HTML page
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "liuhen.web.views.forbidden"
handler404 = "liuhen.web.views.not_found"
handler500 = "liuhen.web.views.server_error"
