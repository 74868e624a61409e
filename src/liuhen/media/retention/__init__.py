"""Retention and disposal of AV records (R18.4): which records may go, the requests as
their pages show them, the notices, and the deletion of disposed bytes. The request and
the decision are ``media.actions.retention``'."""
