"""The AV records' one door (R14–R18, R21, R23): every state change and audited read, one
module per area — ``ingest`` (a record comes in, its probe, refused changes), ``uploads``
(tus), ``dock`` (collection stations), ``curation`` (links, labels, marks), ``viewing``
(view, play, download), ``retention`` (disposal), ``integrity`` (fixity findings).
Callers import the module they need."""
