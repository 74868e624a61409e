"""Witnesses of the audit log's signed tree heads: stores outside the server's control
that keep every head announced to them (R1.1, R23.1).

A witness is given each signed head (:meth:`Witness.announce`) and each new signing key
(:meth:`Witness.announce_key`), and can be asked for the latest head it holds
(:meth:`Witness.latest`). ``liuhen audit verify --witness URL`` checks that the local log
still extends that head (RFC 9162 consistency proof), so a log cut back to an earlier
head or rewritten and re-signed with another key is found out.

Backends: a directory (``file:///path``, e.g. a share of another host), an S3 bucket
(``s3://bucket/prefix``, object lock where the bucket has it) and e-mail
(``mailto:address``, announce only). See :mod:`liuhen.core.witness.urls`.
"""
