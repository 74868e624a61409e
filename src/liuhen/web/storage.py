from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names after ``collectstatic``; plain names before it (tests, development)."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest yet: files are served by the finders
            return name
        return super().stored_name(name)
