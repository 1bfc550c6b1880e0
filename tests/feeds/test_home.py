"""A member's home page ``/`` is their Following feed (impasto.core.home, filled by feeds)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impasto.accounts.models import User
from impasto.core import home as home_registry
from impasto.feeds.views import home as feeds_home
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, post_delete, repost_create
from tests.core.test_shell import parse as parse_tags
from tests.feeds.test_queries import _fill

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def member(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def steps_card(content: str) -> str:
    """The first-steps card's HTML, or "" when the page has none."""
    start = content.find('<section class="card card--flat home-steps"')
    return content[start : content.index("</section>", start)] if start >= 0 else ""


def current_links(content: str) -> set[str | None]:
    return {a["href"] for a in parse_tags(content.encode()).find("a", aria_current="page")}


def test_home_is_the_following_feed_with_its_older_link(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    post_create(author=alice, body="my own sketch")
    posts = [post_create(author=bob, body=f"number {n}") for n in range(25)]
    client = member(alice)
    content = page_of(client.get("/"))
    assert "number 24" in content
    assert "number 5" in content
    assert "number 4" not in content
    # The same page as /feed: Following is the current feed tab (and Home in the header), the
    # filter bar leads back to /, the new-posts indicator polls the Following count.
    assert current_links(content) == {"/", reverse("feeds:following")}
    tags = parse_tags(content.encode())
    assert tags.find("form", action=reverse("feeds:filters"))
    assert tags.find("input", name="next", value="/")
    polled = tags.find("div", id="feed-new")[0]["hx-get"] or ""
    assert polled.startswith(reverse("feeds:new-count", args=["following"]))
    # Not new (follows someone, has posted, the feed has posts): no first-steps card.
    assert steps_card(content) == ""
    # "Older" leads on from / (a whole page without JavaScript, the items alone with htmx).
    older = f"/?before={posts[5].pk}"
    assert f'href="{older}"' in content
    second = page_of(client.get(older))
    assert "<html" in second
    assert "number 4" in second
    assert "number 5" not in second
    partial = page_of(client.get(older, headers=HTMX))
    assert "<html" not in partial
    assert "number 0" in partial


def test_the_filter_bar_on_home_answers_a_list_that_leads_on_from_home(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    for n in range(21):  # more than a page: the answer carries an Older link
        post_create(author=bob, body=f"filler {n}")
    repost_create(user=bob, post_id=post_create(author=carol, body="carol via bob").pk)
    client = member(alice)
    fields = {"feed": "following", "kind": "all", "mature": "blur", "hide_reposts": "on"}
    body = page_of(client.post(reverse("feeds:filters"), {**fields, "next": "/"}, headers=HTMX))
    assert "<html" not in body
    assert "carol via bob" not in body
    assert 'href="/?before=' in body
    # Without JavaScript: saved, and back to /.
    plain = client.post(reverse("feeds:filters"), {**fields, "hide_reposts": "", "next": "/"})
    assert plain.status_code == 302
    assert plain["Location"] == "/"
    assert "carol via bob" in page_of(client.get("/"))


def test_a_new_member_sees_the_first_steps_above_an_empty_feed(alice: User) -> None:
    content = page_of(member(alice).get("/"))
    card = steps_card(content)
    assert f"Welcome, {alice.name}" in card
    hrefs = {a["href"] for a in parse_tags(card.encode()).find("a")}
    assert {"/accounts/2fa/", "/settings/appearance", reverse("feeds:discover")} <= hrefs
    assert "Your feed is empty" in content
    assert content.index("home-steps") < content.index('id="feed-body"')  # above the feed
    # Only the first page has it.
    post_create(author=alice, body="x")
    assert steps_card(page_of(member(alice).get("/?before=1"))) == ""


def test_first_steps_while_following_nobody_even_with_own_posts(alice: User) -> None:
    post_create(author=alice, body="hello, first post")
    content = page_of(member(alice).get("/"))
    assert "hello, first post" in content
    assert steps_card(content)


def test_first_steps_until_the_member_has_posted(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    post_create(author=bob, body="from bob")
    client = member(alice)
    content = page_of(client.get("/"))
    assert "from bob" in content
    assert steps_card(content)  # follows someone, has posted nothing
    mine = post_create(author=alice, body="my-own-words")
    assert steps_card(page_of(client.get("/"))) == ""
    # Posted long ago (not on the first page) still counts.
    for n in range(20):
        post_create(author=bob, body=f"later {n}")
    content = page_of(client.get("/"))
    assert "my-own-words" not in content
    assert steps_card(content) == ""
    post_delete(user=alice, post_id=mine.pk)
    # A deleted post does not count: the card is back, bob's posts still in the feed.
    content = page_of(client.get("/"))
    assert steps_card(content)
    assert "later 19" in content


def test_the_feed_page_itself_never_shows_the_first_steps(alice: User) -> None:
    content = page_of(member(alice).get(reverse("feeds:following")))
    assert steps_card(content) == ""
    assert parse_tags(content.encode()).find("input", name="next", value=reverse("feeds:following"))


def test_header_marks_home_current_on_home_only(alice: User) -> None:
    client = member(alice)
    assert "/" in current_links(page_of(client.get("/")))
    discover = current_links(page_of(client.get(reverse("feeds:discover"))))
    assert discover == {reverse("feeds:discover")}
    # /feed is the same feed under its own address: the feed tab is current, not Home.
    assert current_links(page_of(client.get(reverse("feeds:following")))) == {
        reverse("feeds:following")
    }


def test_the_window_title_says_home_on_home_and_the_feed_on_its_page(alice: User) -> None:
    def title(content: str) -> str:
        start = content.index("<title>") + len("<title>")
        return " ".join(content[start : content.index("</title>")].split())

    client = member(alice)
    assert title(page_of(client.get("/"))) == "Home · Impasto"
    assert title(page_of(client.get(reverse("feeds:following")))) == "Following · Impasto"


def test_visitors_still_get_the_landing_page(client: Client, bob: User) -> None:
    post_create(author=bob, body="public words")
    content = page_of(client.get("/"))
    assert "Create your portfolio" in content
    assert "public words" not in content


def test_a_broken_cursor_on_home_is_a_400(alice: User) -> None:
    assert member(alice).get("/?before=abc").status_code == 400


def test_without_the_registration_members_get_the_first_steps_page(alice: User) -> None:
    home_registry.unregister_member_home()
    try:
        content = page_of(member(alice).get("/"))
    finally:
        home_registry.register_member_home(feeds_home, requires="feeds:following")
    assert "While it takes shape" in content
    assert 'id="feed-body"' not in content


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_home_costs_the_same_queries_for_4_or_20_items(
    alice: User, bob: User, carol: User, django_assert_num_queries
) -> None:
    follow_create(follower=alice, followee=bob)
    post_create(author=alice, body="mine")
    client = member(alice)
    _fill(bob, carol, alice, 4)
    short = _count(client, "/")
    _fill(bob, carol, alice, 24)
    feed = _count(client, reverse("feeds:following"))
    assert feed == 10  # the /feed page, whatever its length (tests/feeds/test_queries.py)
    # The Following page's queries, and one: has the member posted (an exists() query).
    with django_assert_num_queries(feed + 1):
        content = page_of(client.get("/"))
    assert "feed-more" in content  # a full page, with an Older link
    assert steps_card(content) == ""
    assert _count(client, "/") == short


def test_home_of_a_member_who_follows_nobody_costs_what_the_feed_costs(
    alice: User, django_assert_num_queries
) -> None:
    # Following nobody decides "new" without asking: no query beyond the feed page's.
    for n in range(25):
        post_create(author=alice, body=f"mine {n}")
    client = member(alice)
    feed = _count(client, reverse("feeds:following"))
    with django_assert_num_queries(feed):
        content = page_of(client.get("/"))
    assert steps_card(content)
    assert "feed-more" in content
