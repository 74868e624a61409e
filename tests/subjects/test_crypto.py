"""R18.5: a resident id is stored only as SM4-GCM ciphertext and a keyed blind index."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from liuhen.subjects import crypto
from liuhen.subjects.models import Subject
from tests.factories import person, resident_id

pytestmark = pytest.mark.django_db


def test_round_trip_and_fresh_nonce_each_time() -> None:
    number = resident_id()
    first, second = crypto.encrypt(number), crypto.encrypt(number)
    assert first != second  # a new nonce per value: equal numbers do not look equal
    assert crypto.decrypt(first) == crypto.decrypt(second) == number
    assert crypto.blind_index(number) == crypto.blind_index(number)
    assert crypto.blind_index(number) != crypto.blind_index(resident_id(124))


def test_the_database_never_holds_the_number_in_clear() -> None:
    number = resident_id(serial=457, born="19750613")
    subject = person(number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM subjects_subject WHERE id = %s", [subject.pk])
        row = cursor.fetchone()
    raw = " ".join(str(value) for value in row)
    for fragment in (number, number[:17], number[6:14], number[:6] + number[6:10], "19750613"):
        assert fragment not in raw
    assert subject.resident_id_encrypted in raw  # the row was read at all
    assert Subject.objects.get(pk=subject.pk).resident_id() == number


def test_changed_ciphertext_or_wrong_key_fails_loudly(tmp_path) -> None:
    stored = crypto.encrypt(resident_id())
    raw = bytearray(base64.b64decode(stored))
    raw[-1] ^= 1
    with pytest.raises(crypto.UndecryptableIdentifier):
        crypto.decrypt(base64.b64encode(bytes(raw)).decode())
    with pytest.raises(crypto.UndecryptableIdentifier):
        crypto.decrypt("not base64 at all!")
    with override_settings(SUBJECT_KEY_FILE=tmp_path / "other.key"):
        with pytest.raises(crypto.UndecryptableIdentifier):
            crypto.decrypt(stored)
        # Another key gives another blind index too: the index is keyed.
        other_index = crypto.blind_index(resident_id())
    assert other_index != crypto.blind_index(resident_id())


def test_key_file_is_created_private_and_must_have_16_bytes(tmp_path) -> None:
    path = tmp_path / "keys" / "subjects-sm4.key"
    with override_settings(SUBJECT_KEY_FILE=path):
        crypto.encrypt("x")
    assert path.stat().st_size == crypto.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    short = tmp_path / "short.key"
    short.write_bytes(os.urandom(8))
    with override_settings(SUBJECT_KEY_FILE=short), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
