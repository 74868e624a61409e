"""The WSGI application. ``liuhen serve`` has gunicorn load it once in its master process
(``--preload``) and fork the workers from there, so everything imported here is shared
between them: the URL configuration is loaded now rather than on the first request.
"""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
django_application = get_wsgi_application()

from django.db import connections  # noqa: E402 - needs the settings loaded
from django.urls import get_resolver  # noqa: E402

from liuhen.web.slow_bodies import BodyDeadline  # noqa: E402

# A body that trickles in must not hold a server thread (web/slow_bodies.py).
application = BodyDeadline(django_application)

get_resolver().url_patterns  # noqa: B018 - imports the URL configuration now
# A forked worker must never use a connection of the process it was forked from.
connections.close_all()
# What is loaded so far lives as long as the process: the collector leaves it alone, so it
# does not write to (and so copy) the pages the forked workers share.
gc.freeze()
