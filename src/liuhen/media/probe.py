"""Probe and preview of AV records (PyAV, Pillow). Filled in by the probe work."""

from __future__ import annotations


def probe_and_record(record_id: int) -> None:
    raise NotImplementedError
