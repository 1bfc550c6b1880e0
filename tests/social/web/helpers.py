"""Small helpers of the social web tests."""

from __future__ import annotations

from typing import Any

from tests.core.test_shell import parse

HTMX = {"HX-Request": "true"}

__all__ = ["HTMX", "main_of", "parse", "text_of"]


def text_of(response: Any) -> str:
    return str(response.content.decode())


def main_of(response: Any) -> str:
    """The page's <main>, without the header (whose links and badges name other things)."""
    html = text_of(response)
    return html.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
