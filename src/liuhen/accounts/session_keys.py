"""The names under which the login flow keeps its state in the session (R4.2)."""

from __future__ import annotations

# Between the password step and the second factor: who, and since when.
PENDING_USER = "liuhen_pending_user"
PENDING_AT = "liuhen_pending_at"
# When the session was authenticated, and when it was last used (timeouts).
LOGIN_AT = "liuhen_login_at"
LAST_SEEN = "liuhen_last_seen"
# Why the last session ended, for the login page to say.
NOTICE = "liuhen_notice"
