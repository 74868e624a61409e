"""What a reviewer checks in a sampled recording: the Art. 13 focal contents that apply to
the activity's type, and the Art. 14 prohibitions (R13.2, R14.1). Data, with citations.

Each item's ``article`` is its place in the regulation ("13(1)"); the findings it raises
cite the requirement (``R13.2`` / ``R14.1``), which the screen reads as its article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    code: str
    article: str
    text: str | Promise
    # An item that applies only when it happened (an obstruction): "not applicable" is
    # an answer, not a gap.
    conditional: bool = False


ART13_REQUIREMENT = "R13.2"
ART14_REQUIREMENT = "R14.1"

ART13: tuple[Item, ...] = (
    Item("scene", "13(1)", _("(1) The scene of the enforcement and its surroundings")),
    Item(
        "people_goods",
        "13(2)",
        _(
            "(2) The appearance, words and conduct of the party, witnesses and others on site, "
            "and the vehicles, vessels and other goods involved"
        ),
    ),
    Item("violation", "13(3)", _("(3) How the agricultural violation was established")),
    Item("coercion_penalty", "13(4)", _("(4) Coercive measures taken or penalty imposed")),
    Item(
        "rights_documents",
        "13(5)",
        _(
            "(5) Telling the party their rights and duties, making and serving the documents, "
            "and the party signing for them"
        ),
    ),
    Item("other_proof", "13(6)", _("(6) Other things that show the violation and prove the facts")),
    Item(
        "obstruction",
        "13",
        _("Where the officers were obstructed: the obstruction and how the officers stopped it"),
        conditional=True,
    ),
)

ART14: tuple[Item, ...] = (
    Item(
        "not_worn",
        "14(1)",
        _("(1) Recorder not worn or used as required, or the whole process not recorded"),
    ),
    Item(
        "tampered",
        "14(2)",
        _("(2) Footage cut, edited, copied, kept, damaged, leaked or spread against the rules"),
    ),
    Item("unrelated", "14(3)", _("(3) Recorder used to record things unrelated to enforcement")),
    Item(
        "device_damaged",
        "14(4)",
        _("(4) Recorder or its storage taken apart, abandoned or damaged"),
    ),
    Item(
        "connected",
        "14(5)",
        _("(5) Recorder connected to the internet or to devices unrelated to the work"),
    ),
    Item("other_breach", "14(6)", _("(6) Other breaches of the recorder rules")),
)

# Which Art. 13 items a recording of each activity type must show; a type not listed (or
# footage linked to no activity) is checked against all of them.
BY_TYPE: dict[str, tuple[str, ...]] = {
    "on_site_handling": ("scene", "people_goods", "violation", "rights_documents", "other_proof"),
    "on_the_spot_penalty": (
        "scene",
        "people_goods",
        "violation",
        "coercion_penalty",
        "rights_documents",
    ),
    "inquiry": ("people_goods", "violation", "rights_documents"),
    "inspection": ("scene", "people_goods", "violation", "rights_documents", "other_proof"),
    "sampling": ("scene", "people_goods", "rights_documents", "other_proof"),
    "advance_preservation": ("scene", "people_goods", "coercion_penalty", "rights_documents"),
    "seizure": ("scene", "people_goods", "coercion_penalty", "rights_documents"),
    "forced_removal": ("scene", "people_goods", "coercion_penalty", "rights_documents"),
    "hearing": ("people_goods", "rights_documents"),
    "service_by_leaving": ("scene", "people_goods", "rights_documents"),
    "service_by_public_notice": ("scene", "rights_documents"),
    "emergency": ("scene", "people_goods", "violation", "other_proof"),
}

ART13_BY_CODE = {item.code: item for item in ART13}
ART14_BY_CODE = {item.code: item for item in ART14}


def items_for(type_code: str | None) -> tuple[Item, ...]:
    """The Art. 13 items for an activity type, in the article's order (the obstruction
    item always, answered "not applicable" when there was none)."""
    codes = BY_TYPE.get(type_code or "")
    if codes is None:
        return ART13
    return tuple(item for item in ART13 if item.code in codes or item.conditional)
