"""Masking before publication (R12.1): surname and 某某, resident id, phone, address."""

from __future__ import annotations

from liuhen.disclosure.masking import mask_name, mask_text

ALL = ("person_name", "resident_id", "phone", "address")


def test_names_keep_the_surname() -> None:
    assert mask_name("张三") == "张某某"
    assert mask_name("张三丰") == "张某某"
    assert mask_name("欧阳明") == "欧阳某某"
    assert mask_name("") == ""


def test_text_masks_what_the_rules_ask() -> None:
    text = "张三丰（身份证号211104197001014561，电话13912345678，住幸福村12号）；座机0427-1234567"
    masked = mask_text(text, names=["张三丰"], addresses=["幸福村12号"], fields=ALL)
    assert "张三丰" not in masked and "张某某" in masked
    assert "211104197001014561" not in masked and "211***********4561" in masked
    assert "13912345678" not in masked and "139****5678" in masked
    assert "幸福村12号" not in masked
    assert "1234567" not in masked


def test_a_field_left_out_of_the_rule_is_not_masked() -> None:
    text = "张三丰，电话13912345678"
    masked = mask_text(text, names=["张三丰"], fields=("phone",))
    assert "张三丰" in masked and "13912345678" not in masked
