"""``{% icon %}`` looks the sprite up once per process, and follows a change of the static
settings (tests and a reconfigured site never get a stale address)."""

from __future__ import annotations

from django.template import Context, Template
from django.test import override_settings


def _render(text: str, **context: str) -> str:
    return Template("{% load impasto %}" + text).render(Context(context))


def test_icons_point_at_the_sprite_and_follow_the_static_url() -> None:
    html = _render('{% icon "heart" %}{% icon "heart" %}')
    assert html.count('<use href="/static/img/icons.svg#heart">') == 2
    assert 'aria-hidden="true"' in html
    with override_settings(STATIC_URL="/assets/"):
        assert '<use href="/assets/img/icons.svg#heart">' in _render('{% icon "heart" %}')
    assert '<use href="/static/img/icons.svg#heart">' in _render('{% icon "heart" %}')


def test_a_labelled_icon_is_announced_and_its_label_escaped() -> None:
    html = _render('{% icon "lock" label=name %}', name="<b>Followers</b>")
    assert 'role="img" aria-label="&lt;b&gt;Followers&lt;/b&gt;"' in html
    assert "img/icons.svg#lock" in html
