"""An article reference reads "依据：制度第九条" on screen, never an internal id (R2.1)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from liuhen.core.basis import basis, chinese_number


def test_articles_are_counted_in_chinese() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 14, 20, 24)] == [
        "一",
        "九",
        "十",
        "十四",
        "二十",
        "二十四",
    ]


def test_a_requirement_id_names_the_article_of_the_recording_rules() -> None:
    with translation.override("zh-hans"):
        assert basis("R9.2") == "依据：制度第九条"
        assert basis("R18") == "依据：制度第十八条"
    with translation.override("en"):
        assert basis("R9.2") == "Basis: the recording rules, Art. 9"


def test_a_bare_article_number_is_the_administrative_penalty_law() -> None:
    with translation.override("zh-hans"):
        assert basis("59") == "依据：《中华人民共和国行政处罚法》第59条"


def test_no_reference_shows_nothing() -> None:
    assert basis("") == "" and basis("lead_check") == ""


def test_the_template_filter_shows_the_basis() -> None:
    with translation.override("zh-hans"):
        rendered = Template('{% load liuhen %}{{ "R8.1"|basis }}').render(Context({}))
    assert rendered == "依据：制度第八条"
