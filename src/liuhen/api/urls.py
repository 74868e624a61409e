from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Liuhen API", version="1", urls_namespace="api")
