"""The one door of the accounts app (R4.1, R4.2): every change to units, accounts, roles,
security settings, logins and sessions, one module per area. Callers import the module
they need (``from liuhen.accounts.actions import accounts``); nothing is re-exported here.

Each public action checks access before its transaction (so a denial's audit event is
kept), validates, writes and records its audit event in one durable transaction. The
actor is the signed-in :class:`~liuhen.accounts.models.User`, or
:data:`liuhen.core.audit.SYSTEM` for management commands, which run with the operator's
authority on the server.
"""
