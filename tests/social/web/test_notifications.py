"""The notifications page and the unread badges in the header."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.social.models import Notification
from impasto.social.selectors.badges import CAP, badges_of
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import follow_create, mute_create, social_settings_update
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_like
from tests.factories import UserFactory
from tests.social.web.helpers import HTMX, main_of, parse, text_of

pytestmark = pytest.mark.django_db

URL = "/notifications"


def badge(html: str, name: str) -> str | None:
    """The count on a header link ("Notifications", "Messages"), or None when there is none."""
    header = html.split("</header>", 1)[0]
    link = header.split(f'<span class="visually-hidden">{name}</span>', 1)
    if len(link) < 2 or "header-link__badge" not in link[1].split("</a>", 1)[0]:
        return None
    return link[1].split('header-link__badge" aria-hidden="true">', 1)[1].split("<", 1)[0]


def test_notifications_are_grouped_and_marked_read_once_seen(alice, make_user, commit, as_user):
    post = post_create(author=alice, body="Heron")
    fans = [make_user(display_name=f"Fan {i}") for i in range(4)]
    with commit():
        for fan in fans:
            post_like(user=fan, post_id=post.pk)
        repost_create(user=fans[0], post_id=post.pk)
        post_create(author=fans[1], body="Lovely", reply_to_id=post.pk)
        follow_create(follower=fans[2], followee=alice)
    client = as_user(alice)
    home = text_of(client.get("/"))
    assert badge(home, "Notifications") == "7"
    page = client.get(URL)
    html = main_of(page)
    assert "Fan 3 and 3 others liked your post" in html
    assert "Fan 0 reposted your post" in html
    assert "Fan 1 replied to your post" in html
    assert "Fan 2 followed you" in html
    assert html.count("notification--unread") == 4
    assert html.count(">New<") == 4
    # The excerpt of the post, as plain text.
    assert "Heron" in html
    # Seen: read now, and the badge is gone on this very page and the next.
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert badge(text_of(page), "Notifications") is None
    again = main_of(client.get(URL))
    assert "notification--unread" not in again


def test_notifications_page_loads_more(alice, make_user, commit, as_user):
    with commit():
        for i in range(25):
            post = post_create(author=alice, body=f"post {i}")
            post_like(user=make_user(), post_id=post.pk)
    client = as_user(alice)
    first = client.get(URL)
    assert main_of(first).count('<li class="notification') == 20
    link = parse(first.content).find("a", **{"class": "btn", "hx-target": "#load-more"})[0]
    more = client.get(link["href"], headers=HTMX)
    assert text_of(more).count('<li class="notification') == 5


def test_follow_requests_link_on_the_notifications_page(alice, bob, commit, as_user):
    social_settings_update(user=alice, locked=True)
    with commit():
        follow_create(follower=bob, followee=alice)
    html = main_of(as_user(alice).get(URL))
    assert "Bob asked to follow you" in html
    assert f'href="{reverse("social:follow-requests")}"' in html


def test_muted_people_leave_the_notifications(alice, bob, commit, as_user):
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
    mute_create(muter=alice, muted=bob)
    assert "Bob" not in main_of(as_user(alice).get(URL))


def test_visitors_see_no_badge_and_pay_no_query_for_it(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        html = text_of(client.get("/"))
    assert "header-link" not in html


def test_header_badges_cost_one_query_for_the_three_counts(
    alice, bob, commit, django_assert_num_queries
):
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
    message_send(sender=bob, recipient=alice, body="hi")
    viewer = viewer_for(alice)
    with django_assert_num_queries(1):
        counts = badges_of(viewer)
    assert (counts.notifications, counts.messages, counts.requests) == (1, 0, 1)


def test_header_badges_say_99_plus_past_the_cap(alice, commit, as_user):
    post = post_create(author=alice, body="popular")
    people = [UserFactory.create() for _ in range(CAP + 2)]
    with commit():
        for person in people:
            post_like(user=person, post_id=post.pk)
    html = text_of(as_user(alice).get("/"))
    assert badge(html, "Notifications") == "99+"
    assert "more than 99 unread" in html


def test_message_badge_counts_unread_conversations_and_requests(alice, bob, carol, as_user):
    follow_create(follower=alice, followee=bob)
    message_send(sender=bob, recipient=alice, body="in the inbox")
    message_send(sender=carol, recipient=alice, body="a request")
    assert badge(text_of(as_user(alice).get("/")), "Messages") == "2"
