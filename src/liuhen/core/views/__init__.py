"""Core's pages: the audit admin's log pages (``audit_log``) and the system admin's legal
rules and holiday calendar (``configuration``)."""
