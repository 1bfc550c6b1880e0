"""The web shell: base layout, navigation, theme cookie, error pages, headers and htmx helpers."""

from __future__ import annotations

# ruff: noqa: RUF001 - French text uses the typographic apostrophe
import json
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from impasto.core import theme
from impasto.core.htmx import toast
from tests.factories import UserFactory

# --- base layout ---------------------------------------------------------------------------


class _Page(HTMLParser):
    """What the strict CSP cares about in a page, and its landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        data_types = {"application/json", "application/ld+json"}
        if (
            tag == "script"
            and not attributes.get("src")
            and attributes.get("type") not in data_types
        ):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        for name, _value in attrs:
            if name == "style":
                self.style_attributes.append(tag)
            if name.startswith(("on", "hx-on")):
                self.handlers.append(f"{tag} {name}")

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def parse(content: bytes) -> _Page:
    page = _Page()
    page.feed(content.decode())
    return page


PAGES = ["/", "/settings/appearance", "/offline", "/no-such-page"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_style_or_handler(client: Client, db, url: str) -> None:
    page = parse(client.get(url).content)
    assert page.inline_scripts == 0
    assert page.style_elements == 0
    assert page.style_attributes == []
    assert page.handlers == []


def test_pages_for_members_have_no_inline_script_or_style(user_client: Client) -> None:
    for url in ["/", "/settings/appearance", "/no-such-page"]:
        page = parse(user_client.get(url).content)
        assert (page.inline_scripts, page.style_elements, page.style_attributes) == (0, 0, [])


def test_base_layout_has_landmarks_skip_link_and_csrf_for_htmx(client: Client, db) -> None:
    response = client.get("/")
    page = parse(response.content)
    assert page.find("a", **{"class": "skip-link", "href": "#main"})
    assert page.find("main", id="main")
    assert page.find("header", **{"class": "site-header"})
    assert page.find("footer", **{"class": "site-footer"})
    assert page.find("nav", aria_label="Main")
    body = page.find("body")[0]
    token = json.loads(body["hx-headers"] or "{}")["X-CSRFToken"]
    assert len(token) == 64  # a masked CSRF token
    assert page.find("link", rel="manifest", href="/manifest.webmanifest")
    assert page.find("html")[0]["data-sw"] == "/sw.js"
    # htmx comes from django-htmx's static files, never a copy of our own.
    assert any("django_htmx/htmx-2" in (attrs.get("src") or "") for attrs in page.find("script"))


def test_home_navigation_marks_the_current_page(client: Client, db) -> None:
    page = parse(client.get("/").content)
    links = page.find("a", href="/", aria_current="page")
    assert links


@pytest.mark.urls("tests.core.urls_shell")
def test_navigation_shows_only_sections_that_exist(client: Client, db) -> None:
    content = client.get("/").content.decode()
    assert ">Home<" in content
    assert "Discover" not in content
    assert "Jobs" not in content
    assert 'class="tab-bar"' not in content  # a bottom bar with one item would only be noise


@pytest.mark.urls("tests.core.urls_later_apps")
def test_navigation_lights_up_when_later_apps_add_their_urls(client: Client, db) -> None:
    response = client.get("/discover/")
    assert response.status_code == 200
    page = parse(client.get("/").content)
    nav_links = [
        attrs["href"] for attrs in page.find("a") if attrs.get("href") in {"/discover/", "/jobs/"}
    ]
    # In the header and in the phone's bottom bar.
    assert nav_links.count("/discover/") == 2
    assert nav_links.count("/jobs/") == 2
    assert page.find("nav", **{"class": "tab-bar"})


def test_anonymous_home_page_makes_no_query(client: Client, db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 200
    assert b"Create your portfolio" in response.content
    assert b"artwork-1200" in response.content


@pytest.mark.urls("tests.core.urls_shell")
def test_member_home_page_adds_no_query_to_the_session_and_user(
    user_client: Client, user, django_assert_num_queries
) -> None:
    # The shell alone: no feed to register the member's home (impasto.core.home), so core's
    # welcome with next steps. The session and the user; the shell's header, menu and next steps
    # add none (nor social's unread badges: their URLs are not served here). The real site's /
    # for members is their Following feed: tests/feeds/test_home.py.
    with django_assert_num_queries(2):
        response = user_client.get("/")
    content = response.content.decode()
    assert f"Welcome, {user.name}" in content
    assert 'id="feed-body"' not in content
    assert f"@{user.handle}" in content
    page = parse(response.content)
    button = page.find("button", aria_controls="account-menu")[0]
    assert button["aria-expanded"] == "false"
    assert page.find("a", href="/settings/appearance")
    assert page.find("form", action="/accounts/logout/", method="post")
    # Steps only for pages that exist: two-factor (allauth) and appearance, today.
    assert page.find("a", href="/accounts/2fa/")


def test_member_names_are_escaped_in_the_shell(client: Client, db) -> None:
    person = UserFactory.create(display_name="<script>alert(1)</script>")
    client.force_login(person)
    content = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_avatar_shows_initials_on_a_stable_tone_or_the_picture() -> None:
    person = SimpleNamespace(handle="mira", name="Mira Okafor")
    rendered = Template('{% load impasto %}{% avatar person size="l" %}').render(
        Context({"person": person})
    )
    assert ">MO<" in rendered
    assert "avatar--l" in rendered
    assert 'aria-hidden="true"' in rendered
    again = Template("{% load impasto %}{% avatar person %}").render(Context({"person": person}))
    tone = rendered.split("avatar--tone-")[1][0]
    assert f"avatar--tone-{tone}" in again
    picture = Template(
        '{% load impasto %}{% avatar person size="s" src="/media/a.webp" label="Mira" %}'
    ).render(Context({"person": person}))
    assert picture.startswith('<img class="avatar avatar--s" src="/media/a.webp" alt="Mira"')


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Mira Okafor", "MO"), ("mira", "M"), ("jean-luc de la rue", "JR"), ("", "?"), ("_x_", "X")],
)
def test_initials(name: str, expected: str) -> None:
    rendered = Template("{% load impasto %}{{ name|initials }}").render(Context({"name": name}))
    assert rendered == expected


# --- theme cookie --------------------------------------------------------------------------


def test_theme_choice_sets_a_cookie_and_redirects_back(client: Client, db) -> None:
    response = client.post("/theme", {"theme": "dark", "next": "/settings/appearance"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/appearance"
    cookie = response.cookies[theme.COOKIE_NAME]
    assert cookie.value == "dark"
    assert cookie["max-age"] == theme.COOKIE_AGE
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_theme_cookie_is_read_by_the_server_for_the_first_paint(client: Client, db) -> None:
    client.cookies[theme.COOKIE_NAME] = "dark"
    page = parse(client.get("/").content)
    assert page.find("html")[0]["data-theme"] == "dark"
    assert page.find("meta", name="color-scheme", content="dark")
    assert page.find("meta", name="theme-color", content=theme.THEME_COLOR["dark"])
    dark = page.find("button", name="theme", value="dark")[0]
    assert dark["aria-pressed"] == "true"


def test_without_a_theme_cookie_the_page_follows_the_system(client: Client, db) -> None:
    page = parse(client.get("/").content)
    assert "data-theme" not in page.find("html")[0]
    assert page.find("meta", name="color-scheme", content="light dark")
    assert len(page.find("meta", name="theme-color")) == 2  # one per system scheme


def test_unknown_theme_cookie_is_ignored(client: Client, db) -> None:
    client.cookies[theme.COOKIE_NAME] = '"><script>'
    content = client.get("/").content.decode()
    assert "data-theme" not in parse(content.encode()).find("html")[0]
    assert '<script>"' not in content


def test_system_theme_forgets_the_cookie(client: Client, db) -> None:
    client.cookies[theme.COOKIE_NAME] = "light"
    response = client.post("/theme", {"theme": "system"})
    assert response.cookies[theme.COOKIE_NAME]["max-age"] == 0


def test_htmx_theme_choice_answers_no_content(client: Client, db) -> None:
    response = client.post("/theme", {"theme": "light"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.cookies[theme.COOKIE_NAME].value == "light"


def test_bad_theme_is_refused_and_stores_nothing(client: Client, db) -> None:
    response = client.post("/theme", {"theme": "purple"})
    assert response.status_code == 400
    assert "system, light, dark" in response.content.decode()
    assert theme.COOKIE_NAME not in response.cookies
    htmx = client.post("/theme", {"theme": "purple"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400
    assert json.loads(htmx["HX-Trigger"])["toasts"]["items"][0]["level"] == "error"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_theme_redirect_never_leaves_the_site(client: Client, db, target: str) -> None:
    response = client.post("/theme", {"theme": "dark", "next": target})
    assert response["Location"] == "/"


def test_theme_change_needs_post_and_csrf(db) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.get("/theme").status_code == 405
    response = client.post("/theme", {"theme": "dark"})
    assert response.status_code == 403
    assert theme.COOKIE_NAME not in response.cookies
    assert b"This form has expired" in response.content


# --- error pages ---------------------------------------------------------------------------

pytestmark_errors = pytest.mark.urls("tests.core.urls")


@pytestmark_errors
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/no-such-page", 404, "We could not find that page"),
        ("/test/forbidden", 403, "This is not open to you"),
        ("/test/suspicious", 400, "We could not understand that request"),
        ("/test/rate-limited", 429, "Slow down a little"),
    ],
)
def test_error_pages_in_the_site_look(
    client: Client, db, url: str, status: int, title: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    content = response.content.decode()
    assert f'<h1 id="error-title">{title}</h1>' in content
    assert "/static/css/impasto.css" in content
    assert f"Error {status}" in content


@pytestmark_errors
@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/no-such-page", "Cette page est introuvable"),
        ("/test/forbidden", "Cet espace ne vous est pas ouvert"),
        ("/test/suspicious", "Nous n’avons pas compris cette requête"),
        ("/test/rate-limited", "Ralentissez un peu"),
    ],
)
def test_error_pages_are_translated(client: Client, db, url: str, title: str) -> None:
    response = client.get(url, headers={"Accept-Language": "fr"})
    content = response.content.decode()
    assert f'<h1 id="error-title">{title}</h1>' in content
    assert '<html lang="fr"' in content


@pytestmark_errors
def test_429_says_when_to_come_back(client: Client, db) -> None:
    response = client.get("/test/rate-limited")
    assert response["Retry-After"] == "30"
    assert "try again in 30 seconds" in response.content.decode()
    french = client.get("/test/rate-limited", headers={"Accept-Language": "fr"})
    assert "réessayez dans 30 secondes" in french.content.decode()


def test_allauth_rate_limits_answer_with_our_429_page(db) -> None:
    from allauth.core.ratelimit import respond_429

    request = RequestFactory().get("/accounts/login/")
    with translation.override("en"):
        response = respond_429(request)
    assert response.status_code == 429
    # The shared 429 page (error-page layout) with the accounts hint about resetting.
    assert b'class="error-page"' in response.content
    assert b"Too many attempts" in response.content
    assert b"/accounts/password/reset/" in response.content


@pytestmark_errors
def test_500_page_is_self_contained(db, user, django_assert_num_queries) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with django_assert_num_queries(0):  # no session, no user, no context processor
        response = client.get("/test/broken", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    content = response.content.decode()
    assert "Un problème est survenu de notre côté" in content
    assert user.handle not in content
    assert "csrf" not in content.lower()
    assert "/static/css/impasto.css" in content


@pytestmark_errors
def test_errors_answer_json_to_api_clients(client: Client, db) -> None:
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"detail": "This page does not exist, or is not shown to you."}
    french = client.get(
        "/test/forbidden", headers={"Accept": "application/json", "Accept-Language": "fr"}
    )
    assert french.json() == {"detail": "Vous n’avez pas l’autorisation de voir cette page."}


@pytestmark_errors
def test_errors_send_a_toast_to_htmx(client: Client, db) -> None:
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    items = json.loads(response["HX-Trigger"])["toasts"]["items"]
    assert items == [
        {"message": "This page does not exist, or is not shown to you.", "level": "error"}
    ]


def test_csrf_failure_page_explains_and_htmx_gets_a_toast(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/theme", {"theme": "dark"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    items = json.loads(response["HX-Trigger"])["toasts"]["items"]
    assert items[0]["message"] == "This form has expired. Reload the page and try again."


# --- htmx helpers --------------------------------------------------------------------------


def test_toast_header_is_ascii_and_keeps_other_events() -> None:
    response = HttpResponse()
    response["HX-Trigger"] = json.dumps({"refresh-feed": {}})
    toast(response, "Ajouté à « Études » ✓", level="success")
    toast(response, "Second", level="info")
    header = response["HX-Trigger"]
    assert header.isascii()
    events = json.loads(header)
    assert events["refresh-feed"] == {}
    assert events["toasts"]["items"] == [
        {"message": "Ajouté à « Études » ✓", "level": "success"},
        {"message": "Second", "level": "info"},
    ]


@pytestmark_errors
def test_messages_become_toasts_for_htmx_and_wait_for_the_page_otherwise(
    client: Client, db
) -> None:
    response = client.get("/test/with-message", headers={"HX-Request": "true"})
    items = json.loads(response["HX-Trigger"])["toasts"]["items"]
    assert items == [{"message": "Saved “Studies”.", "level": "success"}]
    # Consumed: the next full page does not repeat it.
    assert "Saved" not in client.get("/").content.decode()

    plain = client.get("/test/with-message")
    assert "HX-Trigger" not in plain
    assert "Saved “Studies”." in client.get("/").content.decode()


# --- security headers ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/sw.js", "/manifest.webmanifest", "/no-such-page"])
def test_security_headers_on_every_response(client: Client, db, url: str) -> None:
    response = client.get(url)
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Permitted-Cross-Domain-Policies"] == "none"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["script-src"] == "'self'"  # no nonce, no inline, no eval
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"


def test_design_page_is_for_staff_only(client: Client, db) -> None:
    assert client.get("/design").status_code == 404
    client.force_login(UserFactory.create())
    assert client.get("/design").status_code == 404
    client.force_login(UserFactory.create(is_staff=True))
    response = client.get("/design")
    assert response.status_code == 200
    assert b"media-grid--masonry" in response.content


def test_french_page_has_the_french_shell(client: Client, db) -> None:
    client.cookies["django_language"] = "fr"
    content = client.get("/").content.decode()
    assert '<html lang="fr"' in content
    assert "Aller au contenu" in content
    assert "Créer votre portfolio" in content
    with translation.override("fr"):
        assert translation.gettext("Skip to content") == "Aller au contenu"


@pytest.mark.urls("tests.core.urls_shell")
def test_footer_has_no_policy_link_until_the_page_exists(client: Client, db) -> None:
    assert "data-mining policy" not in client.get("/").content.decode()


@pytest.mark.urls("tests.core.urls_policy")
def test_footer_links_the_ai_policy_once_it_exists(client: Client, db) -> None:
    page = parse(client.get("/").content)
    assert page.find("a", href="/ai-policy/")
    french = client.get("/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Politique sur l’IA et la fouille de données" in french


@pytest.mark.urls("tests.core.urls_shell")
def test_the_shell_alone_renders_whatever_urlconf_filled_the_policy_cache_first(
    client: Client, db
) -> None:
    # The protection app's policy URL is cached; a URLconf without the policy page must still
    # render pages (it used to depend on another test having filled the cache first).
    from impasto.protection import optout

    optout._policy_url.cache_clear()
    assert client.get("/").status_code == 200


def test_every_settings_page_shares_one_navigation_from_every_app(user_client: Client) -> None:
    # Core's appearance page and accounts' profile page list the same links (accounts, social,
    # api and core each contribute theirs), and each marks itself as the current one.
    appearance = user_client.get("/settings/appearance").content.decode()
    profile = user_client.get(reverse("accounts:settings-profile")).content.decode()
    for href in ["/settings/appearance", reverse("accounts:settings-profile"), "/settings/social"]:
        assert f'href="{href}"' in appearance
        assert f'href="{href}"' in profile
    assert '<a href="/settings/appearance" aria-current="page">' in appearance
    assert '<a href="/settings/appearance" aria-current="page">' not in profile
