from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impasto.accounts import selectors
from impasto.accounts.models import Profile, User
from impasto.accounts.services import account_deletion_request, normalize_link, profile_update
from tests.accounts.conftest import fresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_of(client, user) -> str:
    response = client.get(reverse("accounts:profile", args=[user.handle]))
    assert response.status_code == 200
    return response.content.decode()


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mira.example/portfolio", "https://mira.example/portfolio"),
        ("  HTTPS://Mira.EXAMPLE/Path?q=1#x ", "https://mira.example/Path?q=1#x"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ],
)
def test_links_are_stored_in_full_and_normalised(typed, stored):
    assert normalize_link(typed) == stored


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "https://bank.example@evil.example/login",
        "https://",
        "https://exa mple.org",
        "data:text/html,<script>",
        "https://example.org/" + "a" * 200,
    ],
)
def test_bad_links_are_refused(link):
    with pytest.raises(ValidationError):
        normalize_link(link)


def test_profile_update_stores_normalised_links_once(user):
    profile = profile_update(user=user, links=["Example.org", "https://example.org", ""])
    assert profile.links == ["https://example.org"]


def test_profile_update_names_the_field_in_its_errors(user):
    with pytest.raises(ValidationError) as refused:
        profile_update(user=user, links=["javascript:alert(1)"])
    assert set(refused.value.error_dict) == {"links"}
    with pytest.raises(ValidationError) as refused:
        profile_update(user=user, disciplines=["crypto-art"])
    assert set(refused.value.error_dict) == {"disciplines"}


# --- the public page -------------------------------------------------------------------------


def test_profile_page_shows_what_the_artist_wrote(client, user):
    profile_update(
        user=user,
        display_name="Mira Okafor",
        bio="Ink & **watercolour**.\n\n<script>alert('x')</script>",
        location="Lyon",
        links=["mira.example/portfolio"],
        kind=Profile.Kind.COMMUNITY,
        open_for_commissions=True,
        disciplines=["illustration", "3d"],
    )
    html = page_of(client, user)
    assert '<h1 id="profile-name">Mira Okafor</h1>' in html
    assert f"@{user.handle}" in html
    assert "<strong>watercolour</strong>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html or "alert(&#x27;x&#x27;)" in html
    assert "Lyon" in html
    assert (
        '<a href="https://mira.example/portfolio" rel="nofollow noopener ugc">'
        "https://mira.example/portfolio</a>" in html
    )
    assert "Community" in html
    assert "Open for commissions" in html
    assert "Open to work" not in html
    assert "Illustration" in html
    assert ">3D<" in html


def test_profile_page_without_avatar_shows_initials(client):
    user = UserFactory.create(display_name="Théo Lenoir")
    html = page_of(client, user)
    assert 'class="avatar avatar--xl avatar--tone-' in html
    assert ">TL</span>" in html


def test_profile_page_in_another_case_redirects_to_the_lowercase_address(client, user):
    response = client.get(f"/@{user.handle.upper()}")
    assert response.status_code == 301
    assert response["Location"] == f"/@{user.handle}"


@pytest.mark.parametrize("path", ["/@nobody_here", "/@x", "/@not-a-handle", "/@"])
def test_profile_page_of_nobody_is_404(client, user, path):
    assert client.get(path).status_code == 404


def test_profile_page_of_an_account_being_deleted_is_404_at_once(client, user):
    page_of(client, user)
    account_deletion_request(user=user)
    assert client.get(f"/@{user.handle}").status_code == 404
    assert selectors.user_get_public(handle=user.handle) is None
    assert not User.objects.public().filter(pk=user.pk).exists()


def test_profile_page_of_a_deactivated_account_is_404(client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(f"/@{user.handle}").status_code == 404


def test_profile_page_costs_two_queries_whatever_the_fields(
    client, user, django_assert_num_queries
):
    profile_update(user=user, disciplines=["illustration", "comics", "3d", "fine-art"])
    # The user with the profile, then the fields; the session is not touched for a visitor.
    # The other three are the apps' parts (social: the counters and settings in the header, the
    # Posts tab's page of posts; tests/social/web/test_queries.py counts those).
    with django_assert_num_queries(5):
        page_of(client, user)


def test_owner_sees_an_edit_link_others_do_not(client, user, other_user):
    client.force_login(other_user)
    assert reverse("accounts:settings-profile") not in page_of(client, user).split("<main")[1]
    client.force_login(user)
    assert "Edit profile" in page_of(client, user)


# --- the edit page ---------------------------------------------------------------------------


def test_settings_pages_need_a_login(client):
    for name in (
        "accounts:settings-profile",
        "accounts:settings-export",
        "accounts:settings-delete",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_edit_page_saves_the_profile(user_client, user):
    response = user_client.post(
        reverse("accounts:settings-profile"),
        {
            "display_name": "Sana Idris",
            "kind": "portfolio",
            "bio": "Concept art.",
            "location": "Accra",
            "links": "sana.example\nhttps://art.example/sana",
            "disciplines": ["concept-art", "game-art"],
            "open_to_work": "on",
        },
    )
    assert response.status_code == 302
    user = fresh(user)
    profile = Profile.objects.get(user=user)
    assert user.display_name == "Sana Idris"
    assert profile.links == ["https://sana.example", "https://art.example/sana"]
    assert profile.open_to_work
    assert not profile.open_for_commissions
    assert set(profile.disciplines.values_list("discipline", flat=True)) == {
        "concept-art",
        "game-art",
    }
    form = user_client.get(reverse("accounts:settings-profile")).content.decode()
    assert "Sana Idris" in form
    assert "https://sana.example" in form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("links", "javascript:alert(1)", "not a web address we can link to"),
        ("links", "\n".join(f"site{n}.example" for n in range(6)), "At most 5 links"),
        ("bio", "x" * 2001, "at most 2000 characters"),
        ("kind", "brand", "Select a valid choice"),
        ("disciplines", "crypto-art", "Select a valid choice"),
    ],
)
def test_edit_page_refuses_bad_values_with_a_message_and_saves_nothing(
    user_client, user, field, value, message
):
    data = {"display_name": "Changed", "kind": "portfolio", "location": "Changed"}
    data[field] = value
    response = user_client.post(reverse("accounts:settings-profile"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    assert fresh(user).display_name != "Changed"
    assert Profile.objects.get(user=user).location == ""
