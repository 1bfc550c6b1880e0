"""The real variant view (/media/v/<sha>.<ext>): rate limit, hot-linking, widths, signed URLs."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from impasto.accounts.models import User
from impasto.imaging import access
from impasto.imaging.models import MediaAsset, MediaVariant
from tests.factories import UserFactory
from tests.protection import user_agents as agents
from tests.protection.conftest import FakeClock
from tests.protection.media import asset_with_variants

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_storage")]

SITE = "http://127.0.0.1:8000"
IMG = {"sec-fetch-dest": "image", "sec-fetch-mode": "no-cors"}


@pytest.fixture
def artist(db: object) -> User:
    return UserFactory.create()


@pytest.fixture
def asset(artist: User) -> MediaAsset:
    return asset_with_variants(artist)


def url_of(asset: MediaAsset, width: int) -> str:
    variant = MediaVariant.objects.get(asset=asset, width=width, format="jpeg")
    return reverse("imaging:variant", args=[variant.sha256, "jpg"])


def get(client: Client, url: str, **headers: str):
    return client.get(url, headers={"user-agent": agents.FIREFOX, **headers})


# --- rate limit -------------------------------------------------------------------------------


def test_anonymous_clients_share_a_bucket_per_ipv4_24(
    asset: MediaAsset, settings, fake_clock: FakeClock
) -> None:
    settings.RATE_LIMITS = {"variants": {"capacity": 3, "refill_per_second": 0.5}}
    url = url_of(asset, 320)
    first = Client(REMOTE_ADDR="203.0.113.9")
    neighbour = Client(REMOTE_ADDR="203.0.113.200")  # same /24
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert [get(first, url).status_code for _ in range(3)] == [200, 200, 200]
    refused = get(neighbour, url, accept="image/avif,image/webp,*/*")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"  # one token every 2 s
    assert refused["Cache-Control"] == "no-store"
    assert refused["Content-Type"].startswith("text/plain")
    assert get(elsewhere, url).status_code == 200
    fake_clock.advance(2)
    assert get(neighbour, url).status_code == 200
    assert get(first, url).status_code == 429


def test_ipv6_clients_are_counted_per_64(asset: MediaAsset, settings, fake_clock) -> None:
    settings.RATE_LIMITS = {"variants": {"capacity": 2, "refill_per_second": 0.1}}
    url = url_of(asset, 320)
    assert get(Client(REMOTE_ADDR="2001:db8:1:2::1"), url).status_code == 200
    assert get(Client(REMOTE_ADDR="2001:db8:1:2:ffff::9"), url).status_code == 200
    assert get(Client(REMOTE_ADDR="2001:db8:1:2::77"), url).status_code == 429
    assert get(Client(REMOTE_ADDR="2001:db8:1:3::1"), url).status_code == 200


def test_members_are_counted_per_account_from_any_address(
    asset: MediaAsset, settings, fake_clock
) -> None:
    settings.RATE_LIMITS = {"variants": {"capacity": 2, "refill_per_second": 0.1}}
    member = UserFactory.create()
    url = url_of(asset, 320)
    here, there = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    here.force_login(member)
    there.force_login(member)
    assert get(here, url).status_code == 200
    assert get(there, url).status_code == 200
    assert get(here, url).status_code == 429
    # Anonymous visitors on the member's address have their own bucket.
    assert get(Client(REMOTE_ADDR="203.0.113.9"), url).status_code == 200


def test_variant_client_key(settings) -> None:
    from django.contrib.auth.models import AnonymousUser

    from impasto.imaging.views import _variant_client

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    assert _variant_client(request) == "ip:203.0.113.0/24"
    settings.RATE_LIMIT_VARIANTS_IPV4_PREFIX = 32
    assert _variant_client(request) == "ip:203.0.113.9/32"


# --- hot-linking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "headers", "status"),
    [
        (
            agents.FIREFOX,
            {**IMG, "sec-fetch-site": "cross-site", "referer": "https://x.example/"},
            403,
        ),
        (agents.FIREFOX, {**IMG, "sec-fetch-site": "cross-site"}, 403),
        (agents.FIREFOX, {"referer": "https://thief.example/page"}, 403),
        (agents.FIREFOX, {**IMG, "sec-fetch-site": "same-origin", "referer": f"{SITE}/"}, 200),
        (agents.FIREFOX, {}, 200),  # direct request, no Referer
        (agents.SLACKBOT, {"referer": "https://x.example/"}, 200),  # link preview
        (agents.FEEDLY, {**IMG, "sec-fetch-site": "cross-site"}, 200),  # feed reader
    ],
)
def test_hotlinks_are_refused_except_previews_and_feed_readers(
    asset: MediaAsset, user_agent: str, headers: dict[str, str], status: int
) -> None:
    response = Client().get(url_of(asset, 640), headers={"user-agent": user_agent, **headers})
    assert response.status_code == status
    if status == 403:
        assert b"other sites" in response.content
        assert "Referer" in response["Vary"]


def test_refused_hotlink_costs_no_token(asset: MediaAsset, settings, fake_clock) -> None:
    settings.RATE_LIMITS = {"variants": {"capacity": 1, "refill_per_second": 0.01}}
    url = url_of(asset, 320)
    client = Client()
    for _ in range(3):
        assert get(client, url, referer="https://thief.example/").status_code == 403
    assert get(client, url).status_code == 200


# --- widths by tier ---------------------------------------------------------------------------


def test_anonymous_visitors_get_widths_up_to_the_cap(asset: MediaAsset) -> None:
    client = Client()
    statuses = {w: get(client, url_of(asset, w)).status_code for w in (320, 640, 1080, 1600, 2048)}
    assert statuses == {320: 200, 640: 200, 1080: 200, 1600: 404, 2048: 404}
    assert (
        get(client, url_of(asset, 1080))["Cache-Control"] == "public, max-age=31536000, immutable"
    )


def test_the_anonymous_cap_is_a_setting(asset: MediaAsset, settings) -> None:
    settings.IMPASTO_VARIANT_ANONYMOUS_MAX_WIDTH = 640
    assert get(Client(), url_of(asset, 640)).status_code == 200
    assert get(Client(), url_of(asset, 1080)).status_code == 404


def test_members_get_wider_plain_urls_and_the_widest_only_signed(asset: MediaAsset) -> None:
    member = UserFactory.create()
    client = Client()
    client.force_login(member)
    wide = get(client, url_of(asset, 1600))
    assert wide.status_code == 200
    assert wide["Cache-Control"].startswith("private")  # a shared cache must not keep it
    assert get(client, url_of(asset, 2048)).status_code == 404
    variant = MediaVariant.objects.get(asset=asset, width=2048, format="jpeg")
    query = access.signed_query(sha256=variant.sha256, ext="jpg", user_id=member.pk)
    signed = get(client, f"{url_of(asset, 2048)}?{query}")
    assert signed.status_code == 200
    assert re.fullmatch(r"private, max-age=\d+", signed["Cache-Control"])
    # The same URL is worth nothing to anyone else, signed in or not.
    stranger = Client()
    stranger.force_login(UserFactory.create())
    assert get(stranger, f"{url_of(asset, 2048)}?{query}").status_code == 404
    assert get(Client(), f"{url_of(asset, 2048)}?{query}").status_code == 404


def test_signed_urls_expire_and_cannot_be_altered(asset: MediaAsset, settings) -> None:
    settings.IMPASTO_VARIANT_SIGNED_URL_MAX_AGE = 600
    member = UserFactory.create()
    client = Client()
    client.force_login(member)
    variant = MediaVariant.objects.get(asset=asset, width=2048, format="jpeg")
    url = url_of(asset, 2048)
    old = access.signed_query(sha256=variant.sha256, ext="jpg", user_id=member.pk, now=1_000_000)
    assert get(client, f"{url}?{old}").status_code == 404
    fresh = access.signed_query(sha256=variant.sha256, ext="jpg", user_id=member.pk)
    exp = int(re.search(r"exp=(\d+)", fresh).group(1))  # type: ignore[union-attr]
    sig = fresh.split("sig=")[1]
    assert get(client, f"{url}?exp={exp + 300}&sig={sig}").status_code == 404  # extended
    assert get(client, f"{url}?exp={exp}&sig={sig[:-2]}xx").status_code == 404  # forged
    # Another variant's signature does not open this one.
    other = MediaVariant.objects.get(asset=asset, width=1600, format="jpeg")
    stolen = access.signed_query(sha256=other.sha256, ext="jpg", user_id=member.pk)
    assert get(client, f"{url}?{stolen}").status_code == 404


def test_signed_url_lifetime_is_between_half_and_all_of_max_age(settings) -> None:
    settings.IMPASTO_VARIANT_SIGNED_URL_MAX_AGE = 7200
    for now in (1_000_000.0, 1_003_599.0, 1_003_600.0):
        expires = access.expiry(now)
        assert 3600 <= expires - now <= 7200
    # Stable within a window: the browser's cache sees the same URL from page to page.
    assert access.expiry(1_000_800.0) == access.expiry(1_001_000.0)
    ok = access.check_signature(
        sha256="a" * 64,
        ext="jpg",
        user_id=5,
        exp=str(access.expiry(1_000_000.0)),
        sig=access.signature(sha256="a" * 64, ext="jpg", user_id=5, expires=access.expiry(1e6)),
        now=1_000_000.0,
    )
    assert ok.valid


def test_the_owner_fetches_every_width_plainly(asset: MediaAsset, artist: User) -> None:
    client = Client()
    client.force_login(artist)
    assert all(get(client, url_of(asset, w)).status_code == 200 for w in (1600, 2048))


# --- the {% picture %} tag --------------------------------------------------------------------


def render(asset: MediaAsset, viewer: object) -> str:
    request = RequestFactory().get("/")
    request.user = viewer  # type: ignore[assignment]
    return Template("{% load imaging %}{% picture asset %}").render(
        Context({"asset": asset, "request": request})
    )


def test_picture_offers_anonymous_visitors_only_the_allowed_widths(asset: MediaAsset) -> None:
    from django.contrib.auth.models import AnonymousUser

    html = render(asset, AnonymousUser())
    assert "1080w" in html
    assert "1600w" not in html
    assert "2048w" not in html
    assert "sig=" not in html


def test_picture_signs_the_widest_for_members_and_the_urls_work(asset: MediaAsset) -> None:
    member = UserFactory.create()
    html = render(asset, member)
    assert "1600w" in html
    signed = re.findall(r'(/media/v/[0-9a-f]{64}\.jpg\?exp=\d+&amp;sig=[^" ]+) 2048w', html)
    assert len(signed) == 1
    assert "1600w" in html
    assert not re.search(r"sig=[^ ]+ 1600w", html)
    client = Client()
    client.force_login(member)
    assert get(client, signed[0].replace("&amp;", "&")).status_code == 200


def test_picture_gives_the_owner_plain_urls(asset: MediaAsset, artist: User) -> None:
    html = render(asset, artist)
    assert "2048w" in html
    assert "sig=" not in html
