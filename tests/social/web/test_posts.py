"""Post pages and actions, with htmx and without JavaScript."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from impasto.social.models import Post, PostBookmark, PostLike, PostRevision
from impasto.social.services.graph import follow_create, social_settings_update
from impasto.social.services.posts import post_create, post_delete, post_edit, repost_create
from impasto.social.services.reactions import post_like
from tests.social.web.helpers import HTMX, main_of, parse, text_of

pytestmark = pytest.mark.django_db


def url_of(post: Post) -> str:
    return reverse("social:post-detail", kwargs={"handle": post.author.handle, "post_id": post.pk})


def toasts(response) -> list[str]:
    events = json.loads(response.get("HX-Trigger", "{}"))
    return [item["message"] for item in events.get("toasts", {}).get("items", [])]


# --- the post page -------------------------------------------------------------------------


def test_post_page_shows_the_thread_with_ancestors_and_replies(alice, bob, carol, client):
    root = post_create(author=alice, body="Root **post**")
    middle = post_create(author=bob, body="A reply", reply_to_id=root.pk)
    below = post_create(author=carol, body="A reply to the reply", reply_to_id=middle.pk)
    other = post_create(author=carol, body="Another branch", reply_to_id=root.pk)
    html = main_of(client.get(url_of(middle)))
    # The root above, the focus, then what hangs below it; the other branch is not below it.
    assert (
        html.index("Root <strong>post</strong>")
        < html.index("A reply")
        < html.index("A reply to the reply")
    )
    assert "Another branch" not in html
    root_page = main_of(client.get(url_of(root)))
    assert 'class="thread__item depth-1"' in root_page
    assert 'class="thread__item depth-2"' in root_page
    assert other.body in root_page
    assert below.body in root_page


def test_post_page_redirects_to_its_authors_handle(alice, bob, client):
    post = post_create(author=alice, body="Mine")
    wrong = reverse("social:post-detail", kwargs={"handle": bob.handle, "post_id": post.pk})
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == url_of(post)
    short = client.get(reverse("social:post-short", args=[post.pk]))
    assert short["Location"] == url_of(post)


def test_deleted_posts_in_a_thread_show_as_deleted(alice, bob, client):
    root = post_create(author=alice, body="Soon gone")
    reply = post_create(author=bob, body="Still here", reply_to_id=root.pk)
    post_delete(user=alice, post_id=root.pk)
    html = main_of(client.get(url_of(reply)))
    assert "This post was deleted." in html
    assert "Soon gone" not in html
    assert "Still here" in html
    assert client.get(url_of(root)).status_code == 404


def test_content_warnings_are_collapsed_behind_a_disclosure(alice, client):
    post = post_create(author=alice, body="The spider drawing", content_warning="Spiders")
    page = parse(client.get(url_of(post)).content)
    html = main_of(client.get(url_of(post)))
    details = page.find("details", **{"class": "post__cw"})
    assert details
    assert "open" not in details[0]
    summary_at = html.index("<summary>")
    assert html.index("Spiders") > summary_at
    assert html.index("The spider drawing") > html.index("</summary>")
    # The page's title and description say the warning, not the text.
    title = text_of(client.get(url_of(post))).split("<title>")[1].split("</title>")[0]
    assert "Spiders" in title
    assert "spider drawing" not in title


def test_followers_only_and_unlisted_posts_ask_search_engines_to_stay_away(alice, bob, as_user):
    follow_create(follower=bob, followee=alice)
    hidden = post_create(author=alice, body="For followers", visibility="followers")
    public = post_create(author=alice, body="For all")
    assert 'content="noindex"' in text_of(as_user(bob).get(url_of(hidden)))
    assert 'content="noindex"' not in text_of(as_user(bob).get(url_of(public)))


def test_mentions_and_hashtags_are_links_in_posts(alice, bob, client):
    post = post_create(author=alice, body="Hello @bob and @nobody, see #Café")
    html = main_of(client.get(url_of(post)))
    assert '<a href="/@bob" rel="nofollow noopener noreferrer ugc">@bob</a>' in html
    assert "@nobody" in html
    assert 'href="/@nobody"' not in html
    assert '<a href="/tags/cafe" rel="nofollow noopener noreferrer ugc">#Café</a>' in html


def test_link_previews_of_our_own_pages(alice, bob, client):
    target = post_create(author=bob, body="The original work")
    post = post_create(author=alice, body=f"Look: {settings.SITE_URL}{url_of(target)}")
    html = main_of(client.get(url_of(post)))
    assert 'class="link-preview"' in html
    assert f'href="{url_of(target)}"' in html
    assert "The original work" in html
    profile = post_create(author=alice, body=f"Follow {settings.SITE_URL}/@bob")
    assert "link-preview" in main_of(client.get(url_of(profile)))


def test_link_preview_of_a_post_the_reader_may_not_see_is_left_out(alice, bob, as_user, carol):
    hidden = post_create(author=bob, body="Secret sketch", visibility="followers")
    follow_create(follower=alice, followee=bob)
    post = post_create(author=alice, body=f"See {settings.SITE_URL}{url_of(hidden)}")
    assert "Secret sketch" not in main_of(as_user(carol).get(url_of(post)))
    follow_create(follower=carol, followee=bob)
    assert "Secret sketch" in main_of(as_user(carol).get(url_of(post)))


# --- compose, reply, quote ------------------------------------------------------------------


def test_compose_publishes_and_opens_the_new_post(alice, as_user):
    client = as_user(alice)
    assert client.get(reverse("social:post-create")).status_code == 200
    response = client.post(
        reverse("social:post-create"),
        {"body": "A new *post*", "content_warning": "", "visibility": "unlisted"},
    )
    post = Post.objects.get(author=alice)
    assert response.status_code == 302
    assert response["Location"] == url_of(post)
    assert post.visibility == "unlisted"
    assert "Your post is published." in text_of(client.get(response["Location"]))


def test_compose_defaults_to_followers_for_a_locked_account(alice, as_user):
    social_settings_update(user=alice, locked=True)
    page = parse(as_user(alice).get(reverse("social:post-create")).content)
    selected = [a for a in page.find("option") if "selected" in a]
    assert selected[0]["value"] == "followers"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "visibility": "public"}, "Write something or add an image."),
        ({"body": "x" * 5001, "visibility": "public"}, "Keep it to 5000 characters (it has 5001)."),
        ({"body": "ok", "visibility": "secret"}, "Choose who can see the post"),
        (
            {"body": "ok", "visibility": "public", "content_warning": "w" * 201},
            "Keep the warning to 200 characters",
        ),
        (
            {"body": " ".join(f"#t{i}a" for i in range(31)), "visibility": "public"},
            "A post can have at most 30 hashtags.",
        ),
    ],
)
def test_compose_refuses_bad_input_keeps_the_text_and_stores_nothing(alice, as_user, data, message):
    response = as_user(alice).post(reverse("social:post-create"), data)
    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    if data["body"] and len(data["body"]) < 200:
        assert data["body"] in html  # what was typed comes back
    assert not Post.objects.exists()


def test_reply_with_htmx_comes_back_as_a_reply_and_a_fresh_form(alice, bob, as_user):
    root = post_create(author=alice, body="Root")
    response = as_user(bob).post(
        reverse("social:post-create"),
        {"body": "My reply", "visibility": "public", "reply_to": root.pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = text_of(response)
    reply = Post.objects.get(author=bob)
    assert reply.reply_to_id == root.pk
    assert html.lstrip().startswith('<li class="thread__item depth-1">')
    assert "My reply" in html
    assert 'id="reply-form"' in html
    assert 'hx-swap-oob="true"' in html
    assert f'id="actions-{root.pk}" hx-swap-oob="true"' in html  # the reply count moves
    assert toasts(response) == ["Your reply is posted."]


def test_reply_with_htmx_and_an_error_returns_the_form_in_place(alice, bob, as_user):
    root = post_create(author=alice, body="Root")
    response = as_user(bob).post(
        reverse("social:post-create"),
        {"body": "", "visibility": "public", "reply_to": root.pk},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert response["X-Impasto-Form-Errors"] == "1"
    assert response["HX-Retarget"] == "#reply-form"
    assert "Write something first." in text_of(response)
    assert not Post.objects.filter(author=bob).exists()


def test_reply_without_javascript_opens_the_new_reply(alice, bob, as_user):
    root = post_create(author=alice, body="Root")
    response = as_user(bob).post(
        reverse("social:post-create"),
        {"body": "Plain", "visibility": "public", "reply_to": root.pk},
    )
    assert response["Location"] == url_of(Post.objects.get(author=bob))


@pytest.mark.parametrize("param", ["reply_to=abc", "reply_to=-3", "quote=1e3"])
def test_broken_compose_links_are_bad_requests(alice, as_user, param):
    response = as_user(alice).get(f"{reverse('social:post-create')}?{param}")
    assert response.status_code == 400
    assert "This link is broken" in text_of(response)


def test_quote_embeds_the_quoted_post(alice, bob, as_user):
    original = post_create(author=bob, body="Worth quoting")
    client = as_user(alice)
    page = text_of(client.get(f"{reverse('social:post-create')}?quote={original.pk}"))
    assert "Worth quoting" in page
    response = client.post(
        reverse("social:post-create"),
        {"body": "So true", "visibility": "public", "quote_of": original.pk},
    )
    quote = Post.objects.get(author=alice)
    assert quote.quote_of_id == original.pk
    html = main_of(client.get(response["Location"]))
    assert 'class="post-embed"' in html
    assert "Worth quoting" in html


def test_quote_of_something_no_longer_visible_shows_a_placeholder(alice, bob, carol, as_user):
    original = post_create(author=bob, body="Quoted words")
    quote = post_create(author=alice, body="Look", quote_of_id=original.pk)
    from impasto.social.services.graph import block_create

    block_create(blocker=bob, blocked=carol)
    html = main_of(as_user(carol).get(url_of(quote)))
    assert "This post is not available." in html
    assert "Quoted words" not in html


def test_quote_button_is_absent_when_the_author_disallows_quotes(alice, bob, as_user):
    post = post_create(author=bob, body="No quotes please")
    quote_link = f"{reverse('social:post-create')}?quote={post.pk}"
    assert quote_link in text_of(as_user(alice).get(url_of(post)))
    social_settings_update(user=bob, allow_quotes=False)
    assert quote_link not in text_of(as_user(alice).get(url_of(post)))
    # The author may still quote their own post.
    assert quote_link in text_of(as_user(bob).get(url_of(post)))
    refused = as_user(alice).get(quote_link)
    assert refused.status_code == 403
    assert "does not allow quotes" in text_of(refused)
    posted = as_user(alice).post(
        reverse("social:post-create"),
        {"body": "My words on it", "visibility": "public", "quote_of": post.pk},
    )
    assert posted.status_code == 403
    assert "My words on it" in text_of(posted)  # kept in the form, with the reason
    assert "does not allow quotes" in text_of(posted)
    assert not Post.objects.filter(author=alice).exists()


def test_followers_only_posts_offer_neither_repost_nor_quote(alice, bob, as_user):
    follow_create(follower=alice, followee=bob)
    post = post_create(author=bob, body="Close friends", visibility="followers")
    html = text_of(as_user(alice).get(url_of(post)))
    assert reverse("social:post-repost", args=[post.pk]) not in html
    assert f"?quote={post.pk}" not in html


# --- likes, reposts, bookmarks --------------------------------------------------------------


def test_like_with_htmx_returns_the_action_bar_with_the_new_count(alice, bob, as_user):
    post = post_create(author=bob, body="Like me")
    client = as_user(alice)
    response = client.post(
        reverse("social:post-like", args=[post.pk]), {"row": post.pk}, headers=HTMX
    )
    assert response.status_code == 200
    page = parse(response.content)
    button = page.find("button", id=f"like-{post.pk}")[0]
    assert button["aria-pressed"] == "true"
    assert f'id="actions-{post.pk}"' in text_of(response)
    assert ">1</span>" in text_of(response)
    assert reverse("social:post-unlike", args=[post.pk]) in text_of(response)
    undo = client.post(reverse("social:post-unlike", args=[post.pk]), headers=HTMX)
    assert parse(undo.content).find("button", id=f"like-{post.pk}")[0]["aria-pressed"] == "false"
    assert not PostLike.objects.exists()


def test_like_without_javascript_goes_back_where_it_came_from(alice, bob, as_user):
    post = post_create(author=bob, body="Like me")
    response = as_user(alice).post(
        reverse("social:post-like", args=[post.pk]), {"next": "/@bob?before=5"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/@bob?before=5"
    assert PostLike.objects.filter(user=alice, post=post).exists()


def test_next_never_leaves_the_site(alice, bob, as_user):
    post = post_create(author=bob, body="Like me")
    for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = as_user(alice).post(reverse("social:post-like", args=[post.pk]), {"next": bad})
        assert response["Location"] == url_of(post)


def test_actions_are_post_only(alice, bob, as_user):
    post = post_create(author=bob, body="x")
    for name in ("post-like", "post-unlike", "post-repost", "post-bookmark"):
        assert as_user(alice).get(reverse(f"social:{name}", args=[post.pk])).status_code == 405


def test_actions_need_the_csrf_token(alice, bob):
    from django.test import Client

    post = post_create(author=bob, body="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("social:post-like", args=[post.pk]))
    assert response.status_code == 403
    assert not PostLike.objects.exists()


def test_repost_and_undo_with_and_without_htmx(alice, bob, as_user):
    post = post_create(author=bob, body="Share me")
    client = as_user(alice)
    response = client.post(reverse("social:post-repost", args=[post.pk]), headers=HTMX)
    assert toasts(response) == ["Reposted to your followers."]
    assert (
        parse(response.content).find("button", id=f"repost-{post.pk}")[0]["aria-pressed"] == "true"
    )
    repost = Post.objects.get(author=alice, repost_of=post)
    # On Alice's profile the repost shows, "reposted by" her; undoing it from that card works.
    profile = text_of(client.get("/@alice/posts"))
    assert "Alice reposted" in profile
    back = client.post(reverse("social:post-unrepost", args=[repost.pk]), {"next": "/@alice"})
    assert back["Location"] == "/@alice"
    assert not Post.objects.filter(repost_of=post).exists()


def test_bookmarks_page_lists_what_the_reader_saved(alice, bob, as_user):
    kept = post_create(author=bob, body="Keep this")
    post_create(author=bob, body="Not this")
    client = as_user(alice)
    response = client.post(reverse("social:post-bookmark", args=[kept.pk]), headers=HTMX)
    assert toasts(response) == ["Saved to your bookmarks."]
    html = main_of(client.get(reverse("social:bookmarks")))
    assert "Keep this" in html
    assert "Not this" not in html
    client.post(reverse("social:post-unbookmark", args=[kept.pk]))
    assert not PostBookmark.objects.exists()
    assert "No bookmarks yet" in main_of(client.get(reverse("social:bookmarks")))


# --- edit, history, delete ----------------------------------------------------------------


def test_edit_in_place_with_htmx_then_history(alice, as_user, client):
    post = post_create(author=alice, body="First words", content_warning="")
    owner = as_user(alice)
    edit = reverse("social:post-edit", args=["alice", post.pk])
    form = owner.get(edit, headers=HTMX)
    assert text_of(form).startswith(
        '<article class="post post--editing"'
    ) or "post--editing" in text_of(form)
    assert "First words" in text_of(form)
    saved = owner.post(edit, {"body": "Second words", "content_warning": "Mild"}, headers=HTMX)
    assert saved.status_code == 200
    assert toasts(saved) == ["Your post is updated."]
    assert "Second words" in text_of(saved)
    assert 'class="post__edited"' in text_of(saved)
    history = main_of(client.get(reverse("social:post-history", args=["alice", post.pk])))
    assert "First words" in history
    assert "Second words" in history
    assert PostRevision.objects.filter(post=post).count() == 1


def test_edit_without_javascript_and_its_errors(alice, as_user):
    post = post_create(author=alice, body="Draft")
    owner = as_user(alice)
    edit = reverse("social:post-edit", args=["alice", post.pk])
    assert "Draft" in text_of(owner.get(edit))
    bad = owner.post(edit, {"body": "", "content_warning": ""})
    assert bad.status_code == 400
    assert "Write something first." in text_of(bad)
    ok = owner.post(edit, {"body": "Final", "content_warning": ""})
    assert ok["Location"] == url_of(post)
    post.refresh_from_db()
    assert post.body == "Final"
    assert post.edited_at is not None


def test_only_the_author_may_edit_or_delete(alice, bob, as_user):
    post = post_create(author=alice, body="Mine")
    for name in ("social:post-edit", "social:post-delete"):
        url = reverse(name, args=["alice", post.pk])
        assert as_user(bob).get(url).status_code == 403
        assert as_user(bob).post(url, {"body": "Hacked"}).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine"
    assert post.deleted_at is None


def test_delete_asks_first_then_deletes(alice, as_user):
    post = post_create(author=alice, body="Regret")
    owner = as_user(alice)
    url = reverse("social:post-delete", args=["alice", post.pk])
    assert "Delete this post?" in text_of(owner.get(url))
    response = owner.post(url)
    assert response["Location"] == "/@alice"
    post.refresh_from_db()
    assert post.deleted_at is not None


def test_delete_with_htmx_from_a_list_leaves_a_note_and_from_its_page_goes_to_the_profile(
    alice, as_user
):
    owner = as_user(alice)
    in_list = post_create(author=alice, body="From the list")
    url = reverse("social:post-delete", args=["alice", in_list.pk])
    response = owner.post(url, {"next": "/@alice"}, headers=HTMX)
    assert "Your post is deleted." in text_of(response)
    assert toasts(response) == ["Your post is deleted."]
    on_page = post_create(author=alice, body="From its page")
    url = reverse("social:post-delete", args=["alice", on_page.pk])
    response = owner.post(url, {"next": url_of(on_page)}, headers=HTMX)
    assert response["HX-Redirect"] == "/@alice"


def test_edited_post_shows_its_mark(alice, client):
    post = post_create(author=alice, body="v1")
    post_edit(author=alice, post_id=post.pk, body="v2")
    html = main_of(client.get(url_of(post)))
    assert reverse("social:post-history", args=["alice", post.pk]) in html


# --- tag pages ------------------------------------------------------------------------------


def test_tag_page_lists_public_posts_with_a_real_load_more_link(alice, bob, as_user, client):
    for i in range(23):
        post_create(author=alice, body=f"Sketch {i:02d} #Ink")
    post_create(author=alice, body="Hidden #ink", visibility="followers")
    post_create(author=alice, body="Unlisted #ink", visibility="unlisted")
    first = client.get(reverse("social:tag", args=["ink"]))
    html = main_of(first)
    assert "#" in html
    assert "Ink" in html
    assert html.count('class="post-list__item"') == 20
    assert "Sketch 22" in html
    assert "Sketch 02" not in html
    assert "Hidden" not in html
    assert "Unlisted" not in html
    link = parse(first.content).find("a", **{"class": "btn", "hx-target": "#load-more"})[0]
    assert link["href"] == link["hx-get"]
    assert "before=" in (link["href"] or "")
    more = client.get(link["href"])  # without JavaScript: a whole page
    assert "<html" in text_of(more)
    assert "Sketch 02" in main_of(more)
    partial = client.get(link["href"], headers=HTMX)  # with htmx: the items alone
    assert "<html" not in text_of(partial)
    assert text_of(partial).count('class="post-list__item"') == 3
    assert 'id="load-more"' not in text_of(partial)


def test_tag_page_folds_case_and_accents_and_says_when_empty(alice, client):
    post_create(author=alice, body="#Café au lait")
    response = client.get("/tags/Caf%C3%A9")
    assert response.status_code == 301
    assert response["Location"] == "/tags/cafe"
    assert "#Café</a> au lait" in main_of(client.get("/tags/cafe"))
    assert "Nothing here yet" in main_of(client.get("/tags/nobodyusesthis"))


def test_tag_page_leaves_out_blocked_and_muted_people(alice, bob, carol, as_user):
    from impasto.social.services.graph import block_create, mute_create

    post_create(author=alice, body="From Alice #paint")
    post_create(author=bob, body="From Bob #paint")
    block_create(blocker=alice, blocked=bob)
    html = main_of(as_user(bob).get("/tags/paint"))
    assert "From Bob" in html
    assert "From Alice" not in html
    mute_create(muter=carol, muted=alice)
    html = main_of(as_user(carol).get("/tags/paint"))
    assert "From Bob" in html
    assert "From Alice" not in html


def test_broken_load_more_link_is_a_bad_request(client, alice):
    response = client.get("/tags/ink?before=yesterday")
    assert response.status_code == 400
    assert "This page link is broken" in text_of(response)
    assert client.get("/@alice/posts?before=nope").status_code == 400


def test_like_count_of_the_liked_post_on_the_profile(alice, bob, client):
    post = post_create(author=alice, body="Counted")
    post_like(user=bob, post_id=post.pk)
    repost_create(user=bob, post_id=post.pk)
    html = main_of(client.get("/@alice/posts"))
    assert "(1 like)" in html
    assert "(1 repost)" in html
