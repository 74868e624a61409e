"""Backup sets of a running instance and their restore (R23.1: the records survive the loss
of a server).

A backup set holds a consistent snapshot of the database (SQLite's online backup API, or
``pg_dump`` of an exported PostgreSQL snapshot), the blobs that snapshot records, and the
key files the audit log, the stored identity numbers and the seal need — every file
encrypted with AES-256-GCM under a key made from a passphrase (scrypt) or a key file. The
set's manifest (each file's name, SHA-256 and size) is encrypted and so authenticated too.
Blobs live once per backup folder, by digest: a later set refers to a blob an earlier one
copied. ``sets`` makes and restores sets, ``database`` snapshots and loads the database,
``crypto`` is the file format, ``keyfiles`` finds the keys.
"""
