from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
django_application = get_wsgi_application()

from liuhen.web.slow_bodies import BodyDeadline  # noqa: E402 - needs the settings loaded

# A body that trickles in must not hold a server thread (web/slow_bodies.py).
application = BodyDeadline(django_application)
