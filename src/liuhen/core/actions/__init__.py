"""Core's one door, one module per area: reading and signing the audit log
(``audit_log``), the legal rules and the holiday calendar (``configuration``), the blob
store's audited checks (``blobs``) and the audited export of any register (``exports``).
Callers import the module they need; nothing is re-exported here.
"""
