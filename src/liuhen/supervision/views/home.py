"""The supervisor's home (/supervision/, R22.1): the areas of supervision as tiles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from liuhen.cases.http import AuthenticatedRequest
from liuhen.core import access
from liuhen.core.navigation import belongs_to
from liuhen.supervision.home import TILES
from liuhen.supervision.perms import SupervisionHomePerms


@login_required
@belongs_to("supervision")
def home(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, SupervisionHomePerms.HOME, request=request)
    tiles = [
        tile
        for tile in sorted(TILES, key=lambda tile: (tile.order, tile.key))
        if access.can(request.user, tile.permission)
    ]
    return render(request, "supervision/home.html", {"tiles": tiles})
