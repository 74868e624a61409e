"""The one door of the text records: one module per area (drafting, approval, issuing,
signing, scans, reading, verification, bureau forms, the seal). Callers import the module
they need; nothing is re-exported here."""
