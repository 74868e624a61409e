from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names after ``collectstatic``; plain names before it (tests, development)."""

    manifest_strict = False
