"""The 事前公示 texts are edited by the publishers (R12.1): each save is a new write-once
version, audited; the portal shows the latest; the history is on the staff page; nobody
else may edit them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from liuhen.disclosure import public
from liuhen.disclosure.actions import texts
from liuhen.disclosure.models import DEFAULT_CHANNELS, DisclosureTextsVersion

pytestmark = pytest.mark.django_db

CHANNELS = "监督电话：0427-6688001\n投诉举报：12316"
STEPS = "受理\n立案\n调查取证\n审核\n决定\n送达\n执行"


def _save(actor, **changed):
    values = {"duties": public.texts().duties, "channels": CHANNELS, **changed}
    return texts.save_texts(actor, **values)


@pytest.mark.parametrize("who", ["reviewer_sun", "agency_head_liu"])
def test_a_publisher_saves_a_new_version_and_the_portal_shows_it(client, who, request) -> None:
    actor = request.getfixturevalue(who)
    assert public.texts().channels == DEFAULT_CHANNELS and public.texts().pk is None
    first = _save(actor)
    second = _save(actor, flowchart=STEPS, procedures="简易程序：当场作出决定。")
    assert DisclosureTextsVersion.objects.count() == 2
    first.refresh_from_db()
    assert first.flowchart == "" and public.texts() == second
    events = AuditEvent.objects.filter(action="disclosure.texts", outcome="ok").order_by("pk")
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert events[1].details["changed"] == ["flowchart", "procedures"]
    channels = client.get("/disclosure/channels/").content.decode()
    assert "0427-6688001" in channels
    procedures = client.get("/disclosure/procedures/").content.decode()
    assert "调查取证" in procedures and "简易程序：当场作出决定。" in procedures


def test_the_built_in_procedures_stay_until_replaced(client, reviewer_sun) -> None:
    _save(reviewer_sun)
    page = client.get("/disclosure/procedures/").content.decode()
    assert page.count('class="list-group-item"') == 7 and '<h2 class="h5">简易程序</h2>' in page
    assert 'data-testid="procedures"' not in page


def test_the_staff_page_shows_the_form_and_the_history(client, reviewer_sun) -> None:
    client.force_login(reviewer_sun)
    url = reverse("disclosure:texts")
    page = client.get(url)
    assert page.status_code == 200 and "尚未保存任何版本" in page.content.decode()
    saved = client.post(
        url, {"duties": "依法查处农业违法行为。", "channels": CHANNELS, "flowchart": STEPS}
    )
    assert saved.status_code == 302 and saved["Location"] == url
    again = client.post(
        url, {"duties": "依法查处农业违法行为。", "channels": CHANNELS, "flowchart": STEPS}
    )
    assert again.status_code == 400 and "内容未作任何修改" in again.content.decode()
    client.post(url, {"duties": "依法查处农业违法行为。", "channels": "监督电话：12345"})
    history = client.get(url).content.decode()
    assert history.count("<details") == 2 and "当前公示" in history
    assert "0427-6688001" in history  # the earlier version stays readable
    assert DisclosureTextsVersion.objects.count() == 2


def test_empty_texts_are_refused(reviewer_sun) -> None:
    with pytest.raises(ValidationError) as refused:
        texts.save_texts(reviewer_sun, duties=" ", channels="")
    assert set(refused.value.message_dict) == {"duties", "channels"}
    assert not DisclosureTextsVersion.objects.exists()


@pytest.mark.parametrize("who", ["officer_wang", "head_zhang", "supervisor_zheng"])
def test_nobody_else_edits_the_texts(client, who, request) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        _save(actor)
    client.force_login(actor)
    assert client.get(reverse("disclosure:texts")).status_code == 403
    response = client.post(reverse("disclosure:texts"), {"duties": "x", "channels": "y"})
    assert response.status_code == 403
    assert not DisclosureTextsVersion.objects.exists()
    # Each refusal is in the log, nothing saved.
    events = AuditEvent.objects.filter(action="disclosure.texts")
    assert events.count() == 3 and not events.filter(outcome="ok").exists()


def test_versions_are_write_once(reviewer_sun) -> None:
    version = _save(reviewer_sun)
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureTextsVersion.objects.filter(pk=version.pk).update(channels="改了")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureTextsVersion.objects.filter(pk=version.pk).delete()
