"""The profile's social parts and tabs, followers and following, follow, requests, mute, block."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from impasto.accounts.navigation import ProfileTab, ProfileTabContent
from impasto.social.models import Block, Follow, Mute
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.posts import post_create
from impasto.social.services.reactions import post_like
from tests.social.web.helpers import HTMX, main_of, parse, text_of

pytestmark = pytest.mark.django_db


# --- tabs --------------------------------------------------------------------------------------


def test_profile_shows_posts_by_default_and_a_likes_tab(alice, bob, client):
    post_create(author=alice, body="Own post by Alice")
    liked = post_create(author=bob, body="A post by Bob that Alice likes")
    post_like(user=alice, post_id=liked.pk)
    html = main_of(client.get("/@alice/posts"))
    tabs = parse(client.get("/@alice").content).find("nav", aria_label="Profile sections")
    assert tabs
    assert html.index(">Posts<") < html.index(">Likes<")
    # Portfolio (art) is the default tab at /@alice; Posts is at /@alice/posts.
    assert '<a href="/@alice/posts" aria-current="page">Posts</a>' in html
    assert "Own post by Alice" in html
    assert "A post by Bob" not in html
    likes = main_of(client.get("/@alice/likes"))
    assert '<a href="/@alice/likes" aria-current="page">Likes</a>' in likes
    assert "A post by Bob that Alice likes" in likes
    assert "Own post by Alice" not in likes
    assert client.get("/@alice/posts").status_code == 200


def test_unknown_tab_is_not_found_and_other_pages_under_the_handle_still_work(alice, client):
    assert client.get("/@alice/nonsense").status_code == 404
    assert client.get("/@alice/followers").status_code == 200


def test_another_app_adds_a_tab_through_its_app_config(alice, client, monkeypatch):
    """How art will add Portfolio first: an AppConfig's ``profile_tabs``, no template edited."""
    config = apps.get_app_config("demo")
    monkeypatch.setattr(
        config,
        "profile_tabs",
        [
            ProfileTab(
                key="sketches",
                label="Portfolio",
                content="tests.social.web.test_people.portfolio_tab",
                order=5,  # ahead of art's own Portfolio tab (order 10)
            )
        ],
        raising=False,
    )
    html = main_of(client.get("/@alice"))
    assert html.index(">Portfolio<") < html.index(">Posts<")
    assert "THE PORTFOLIO OF alice" in html  # the first tab is the default one
    assert '<a href="/@alice/posts">Posts</a>' in html
    posts = main_of(client.get("/@alice/posts"))
    assert 'aria-current="page">Posts<' in posts
    assert "THE PORTFOLIO" not in posts
    assert client.get("/@alice/sketches").status_code == 200


def portfolio_tab(request, person) -> ProfileTabContent:
    return ProfileTabContent(
        "social/_problem.html", {"message": f"THE PORTFOLIO OF {person.handle}"}
    )


def test_load_more_on_the_posts_tab(alice, client):
    for i in range(25):
        post_create(author=alice, body=f"number {i:02d}")
    first = client.get("/@alice/posts")
    link = parse(first.content).find("a", **{"class": "btn", "hx-target": "#load-more"})[0]
    more = client.get(link["href"], headers=HTMX)
    assert "<html" not in text_of(more)
    assert text_of(more).count('class="post-list__item"') == 5
    assert "number 00" in text_of(more)


# --- header: counts, follow button, menu ----------------------------------------------------


def test_profile_header_counts_link_to_the_lists(alice, bob, carol, client):
    follow_create(follower=bob, followee=alice)
    follow_create(follower=carol, followee=alice)
    follow_create(follower=alice, followee=bob)
    html = main_of(client.get("/@alice/posts"))
    assert '<a href="/@alice/followers"><strong>2</strong> followers</a>' in html
    assert '<a href="/@alice/following"><strong>1</strong> following</a>' in html
    followers = main_of(client.get("/@alice/followers"))
    assert "@bob" in followers
    assert "@carol" in followers
    following = main_of(client.get("/@alice/following"))
    assert "@bob" in following
    assert "@carol" not in following


def test_visitors_get_a_follow_link_to_log_in(alice, client):
    html = main_of(client.get("/@alice/posts"))
    assert "/accounts/login/?next=/%40alice" in html
    assert 'action="/@alice/follow"' not in html


def test_follow_and_unfollow_on_the_profile_with_htmx(alice, bob, as_user):
    client = as_user(bob)
    response = client.post("/@alice/follow", {"where": "profile"}, headers=HTMX)
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="profile-actions"' in html
    assert 'id="profile-stats" hx-swap-oob="true"' in html
    assert "<strong>1</strong> follower" in html
    assert "Following" in html
    assert "Unfollow" in html
    assert Follow.objects.filter(follower=bob, followee=alice, state="accepted").exists()
    response = client.post("/@alice/unfollow", {"where": "profile"}, headers=HTMX)
    assert "<strong>0</strong> followers" in text_of(response)
    assert not Follow.objects.exists()


def test_follow_from_a_list_swaps_only_its_button(alice, bob, carol, as_user):
    follow_create(follower=carol, followee=alice)
    client = as_user(bob)
    page = text_of(client.get("/@alice/followers"))
    assert 'action="/@carol/follow"' in page
    response = client.post("/@carol/follow", headers=HTMX)
    html = text_of(response)
    assert html.lstrip().startswith('<form class="follow-form"')
    assert 'id="profile-actions"' not in html


def test_follow_without_javascript_goes_back(alice, bob, as_user):
    client = as_user(bob)
    response = client.post("/@alice/follow", {"next": "/@alice/followers"})
    assert response["Location"] == "/@alice/followers"
    assert "You follow Alice." in text_of(client.get("/@alice/followers"))


def test_locked_account_gets_requests_that_it_accepts_or_declines(alice, bob, carol, as_user):
    social_settings_update(user=alice, locked=True)
    visitor_view = main_of(as_user(bob).get("/@alice"))
    assert "Request to follow" in visitor_view
    as_user(bob).post("/@alice/follow")
    as_user(carol).post("/@alice/follow")
    assert "Requested" in main_of(as_user(bob).get("/@alice"))
    owner = as_user(alice)
    requests = main_of(owner.get(reverse("social:follow-requests")))
    assert "@bob" in requests
    assert "@carol" in requests
    accepted = owner.post(reverse("social:follow-request-accept", args=["bob"]), headers=HTMX)
    assert accepted.status_code == 200
    assert text_of(accepted) == ""  # the row leaves the list
    owner.post(reverse("social:follow-request-reject", args=["carol"]))
    assert Follow.objects.get(follower=bob).state == "accepted"
    assert not Follow.objects.filter(follower=carol).exists()
    assert "No one is waiting" in main_of(owner.get(reverse("social:follow-requests")))


def test_follow_requests_of_someone_else_cannot_be_answered(alice, bob, carol, as_user):
    social_settings_update(user=alice, locked=True)
    as_user(bob).post("/@alice/follow")
    response = as_user(carol).post(reverse("social:follow-request-accept", args=["bob"]))
    assert response.status_code == 404
    assert Follow.objects.get(follower=bob).state == "pending"


def test_mute_and_unmute_from_the_profile_menu(alice, bob, as_user):
    client = as_user(bob)
    response = client.post("/@alice/mute", {"where": "profile"}, headers=HTMX)
    assert "Unmute @alice" in text_of(response)
    assert Mute.objects.filter(muter=bob, muted=alice).exists()
    # The profile still shows her posts: the reader came to her page.
    post_create(author=alice, body="Still here on her page")
    assert "Still here on her page" in main_of(client.get("/@alice/posts"))
    client.post("/@alice/unmute", {"where": "profile"}, headers=HTMX)
    assert not Mute.objects.exists()


def test_block_asks_first_then_hides_both_ways_and_can_be_undone(alice, bob, as_user):
    client = as_user(bob)
    follow_create(follower=bob, followee=alice)
    assert "Block @alice?" in text_of(client.get("/@alice/block"))
    response = client.post("/@alice/block")
    assert response["Location"] == reverse("social:settings-blocked")
    assert Block.objects.filter(blocker=bob, blocked=alice).exists()
    assert not Follow.objects.exists()
    assert client.get("/@alice").status_code == 404
    assert as_user(alice).get("/@bob").status_code == 404
    listed = main_of(client.get(reverse("social:settings-blocked")))
    assert "@alice" in listed
    undone = client.post("/@alice/unblock", headers=HTMX)
    assert undone.status_code == 200
    assert client.get("/@alice").status_code == 200


def test_profile_menu_has_mute_and_block_and_a_slot_for_reports(alice, bob, as_user):
    html = main_of(as_user(bob).get("/@alice"))
    assert "Mute @alice" in html
    assert "Block @alice" in html
    assert 'data-dialog-open="block-dialog"' in html
    owner = main_of(as_user(alice).get("/@alice"))
    assert "Block @alice" not in owner
    assert "Edit profile" in owner


@pytest.mark.parametrize(
    ("policy", "follows", "shown"),
    [
        ("everyone", False, True),
        ("following", False, False),
        ("following", True, True),
        ("nobody", True, False),
    ],
)
def test_message_button_follows_the_recipients_policy(alice, bob, as_user, policy, follows, shown):
    social_settings_update(user=alice, message_policy=policy)
    if follows:
        follow_create(follower=alice, followee=bob)
    html = main_of(as_user(bob).get("/@alice"))
    assert ('href="/@alice/message"' in html) is shown
    page = text_of(as_user(bob).get("/@alice/message"))
    assert ("send messages to this person." in page) is not shown


def test_blocked_viewers_get_404_on_every_page_of_the_person(alice, bob, as_user):
    post = post_create(author=alice, body="x")
    block_create(blocker=alice, blocked=bob)
    client = as_user(bob)
    for url in (
        "/@alice",
        "/@alice/posts",
        "/@alice/likes",
        "/@alice/followers",
        "/@alice/following",
        f"/@alice/posts/{post.pk}",
        "/@alice/message",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/@alice/follow").status_code == 404
    assert client.post("/@alice/mute").status_code == 404


def test_muting_someone_leaves_their_pages_reachable(alice, bob, carol, as_user):
    post = post_create(author=bob, body="Muted but reachable")
    mute_create(muter=carol, muted=bob)
    client = as_user(carol)
    assert client.get("/@bob").status_code == 200
    assert "Muted but reachable" in main_of(client.get(f"/@bob/posts/{post.pk}"))
    # ...but their posts leave the lists the reader did not open for them.
    post_create(author=bob, body="#tagged by the muted one")
    assert "tagged by the muted one" not in main_of(client.get("/tags/tagged"))


def test_block_with_htmx_goes_to_the_blocked_list(alice, bob, as_user):
    response = as_user(bob).post("/@alice/block", headers=HTMX)
    assert response["HX-Redirect"] == reverse("social:settings-blocked")
    assert Block.objects.filter(blocker=bob, blocked=alice).exists()


def test_remove_a_follower_without_telling_them(alice, bob, as_user):
    follow_create(follower=bob, followee=alice)
    client = as_user(alice)
    assert "Remove from your followers" in main_of(client.get("/@bob"))
    response = client.post("/@bob/remove-follower")
    assert response["Location"] == "/@alice/followers"
    assert not Follow.objects.exists()


def test_unfollow_and_withdraw_without_javascript(alice, bob, carol, as_user):
    social_settings_update(user=carol, locked=True)
    client = as_user(bob)
    follow_create(follower=bob, followee=alice)
    follow_create(follower=bob, followee=carol)
    assert client.post("/@alice/unfollow")["Location"] == "/@alice"
    assert "You no longer follow Alice." in text_of(client.get("/@alice/posts"))
    client.post("/@carol/unfollow")
    assert "Follow request withdrawn." in text_of(client.get("/@carol"))
    assert not Follow.objects.exists()
