"""The cloaking panel: who may see it, the level form, the status partial in every state."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from impasto.protection.cloaking.models import CloakJob
from tests.factories import UserFactory
from tests.protection.cloaking import builders as b

pytestmark = pytest.mark.django_db

Status = CloakJob.Status
WORK = 8_000_001
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def artist(encoder_file, folder_pipeline):
    with override_settings(CLOAKING=b.encoder_config(encoder_file)):
        artist = UserFactory.create()
        for asset in (201, 202):
            folder_pipeline.add(
                owner_id=artist.pk, work_id=WORK, asset_id=asset, widths={48: b.painting(48, 32)}
            )
        yield artist


def panel(work_id: int = WORK) -> str:
    return reverse("cloaking:work-panel", args=[work_id])


def status_url(work_id: int = WORK) -> str:
    return reverse("cloaking:work-status", args=[work_id])


def test_only_the_owner_sees_the_panel(client, artist) -> None:
    response = client.get(panel())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(UserFactory.create())
    assert client.get(panel()).status_code == 404
    assert client.get(status_url()).status_code == 404
    assert client.post(panel(), {"level": "high"}).status_code == 404
    assert not CloakJob.objects.exists()
    client.force_login(artist)
    assert client.get(panel(999)).status_code == 404  # not a work of theirs


def test_the_owner_gets_the_panel_in_few_queries(client, artist, django_assert_num_queries) -> None:
    client.force_login(artist)
    CloakJob.objects.create(
        owner=artist,
        work_id=WORK,
        asset_id=201,
        level="low",
        status=Status.DONE,
        ssim=0.97,
        psnr=41.2,
    )
    CloakJob.objects.create(
        owner=artist,
        work_id=WORK,
        asset_id=202,
        level="low",
        status=Status.DONE,
        ssim=0.96,
        psnr=40.1,
    )
    with django_assert_num_queries(3):  # session, user, the work's jobs
        response = client.get(panel(), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cloak against AI training" in html
    assert "Your pictures are shown with a cloak at level “Low”." in html
    assert "SSIM 0.960" in html
    assert "PSNR 40.1 dB" in html
    low_radio = html.split('value="low"')[1].split(">")[0]
    assert "checked" in low_radio
    assert "<!doctype html>" not in html  # a partial for htmx
    assert client.get(panel()).content.decode().startswith("<!doctype html>")


def test_choosing_a_level_cloaks_the_work(
    client, artist, django_capture_on_commit_callbacks
) -> None:
    client.force_login(artist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(panel(), {"level": "default"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved." in html  # the task ran at once: no "we will tell you" promise
    assert set(CloakJob.objects.values_list("asset_id", "status", "level")) == {
        (201, Status.DONE, "default"),
        (202, Status.DONE, "default"),
    }


def test_without_htmx_a_choice_redirects_back_to_the_panel(client, artist) -> None:
    client.force_login(artist)
    response = client.post(panel(), {"level": "low"})
    assert response.status_code == 302
    assert response["Location"] == panel()


@pytest.mark.parametrize("level", ["", "extreme"])
def test_a_bad_level_is_refused_and_stores_nothing(client, artist, level) -> None:
    client.force_login(artist)
    response = client.post(panel(), {"level": level})
    assert response.status_code == 400
    assert "Choose" in response.content.decode()
    htmx = client.post(panel(), {"level": level}, **HTMX)
    assert htmx.status_code == 200  # htmx swaps only successful answers: the form is the answer
    assert 'role="alert"' in htmx.content.decode()
    assert not CloakJob.objects.exists()


def test_on_a_server_without_a_backend_the_levels_are_off_limits(
    client, artist, encoder_file
) -> None:
    client.force_login(artist)
    with override_settings(CLOAKING={**b.encoder_config(encoder_file), "BACKEND": None}):
        html = client.get(panel(), **HTMX).content.decode()
        assert (
            "Cloaking is not available on this server: no cloaking backend is configured on this"
            " server." in html
        )
        assert html.count(" disabled") == 3  # low, default, high; "off" stays
        response = client.post(panel(), {"level": "high"})
    assert response.status_code == 400
    assert "not available on this server" in response.content.decode()
    assert not CloakJob.objects.exists()


def job(artist, asset, status, **fields):
    values = {"level": "default", "finished_at": timezone.now(), **fields}
    return CloakJob.objects.create(
        owner=artist, work_id=WORK, asset_id=asset, status=status, **values
    )


@pytest.mark.parametrize(
    ("jobs", "texts", "polls"),
    [
        ([], ["Your pictures are shown without a cloak."], False),
        (
            [(201, Status.QUEUED, {}), (202, Status.RUNNING, {})],
            ["Cloaking your pictures at level “Default”…", "Queued", "Running"],
            True,
        ),
        (
            [
                (201, Status.DONE, {"ssim": 0.931, "psnr": 36.24}),
                (202, Status.DONE, {"ssim": 0.95, "psnr": 38.0}),
            ],
            ["shown with a cloak at level “Default”", "SSIM 0.931", "PSNR 36.2 dB"],
            False,
        ),
        (
            [
                (201, Status.DONE, {"ssim": 0.95, "psnr": 38.0}),
                (202, Status.FAILED, {"error": "the cloaking service answered HTTP 503"}),
            ],
            [
                "Some pictures could not be cloaked",
                "the cloaking service answered HTTP 503",
                "Failed",
            ],
            False,
        ),
        (
            [(201, Status.UNAVAILABLE, {"error": "the built-in cloak needs torch"})],
            ["Cloaking is not available for these pictures", "the built-in cloak needs torch"],
            False,
        ),
        (
            [(201, Status.KEPT, {"level": "off", "details": {"kept_width": 1200}})],
            ["You cloaked these pictures yourself", "your pixels, exactly, at 1200 px wide"],
            False,
        ),
    ],
    ids=["off", "working", "done", "failed", "unavailable", "kept"],
)
def test_the_status_partial_says_where_the_work_stands(client, artist, jobs, texts, polls) -> None:
    for asset, status, fields in jobs:
        job(artist, asset, status, **fields)
    client.force_login(artist)
    response = client.get(status_url(), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in html, text
    assert ('hx-trigger="every 3s"' in html) is polls
    assert 'role="status"' in html


def test_user_text_in_a_reason_is_escaped(client, artist) -> None:
    job(artist, 201, Status.FAILED, error='the service said <script>alert("x")</script>')
    client.force_login(artist)
    html = client.get(status_url(), **HTMX).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
