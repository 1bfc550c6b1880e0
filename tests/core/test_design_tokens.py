"""The colour tokens in static/css/impasto.css meet WCAG 2.1 AA contrast in both themes."""

from __future__ import annotations

import re

import pytest

from config.env import BASE_DIR

CSS = (BASE_DIR / "static" / "css" / "impasto.css").read_text()


def _block(selector_pattern: str) -> dict[str, str]:
    match = re.search(selector_pattern + r"\s*\{(.*?)\}", CSS, flags=re.DOTALL | re.MULTILINE)
    assert match, selector_pattern
    return dict(re.findall(r"--([a-z0-9-]+):\s*([^;]+);", match.group(1)))


LIGHT = _block(r"^:root")
DARK_SYSTEM = _block(r':root:not\(\[data-theme="light"\]\)')
DARK_CHOSEN = _block(r':root\[data-theme="dark"\]')
THEMES = {"light": LIGHT, "dark": {**LIGHT, **DARK_CHOSEN}}


def _luminance(colour: str) -> float:
    hex_digits = colour.strip().lstrip("#")
    assert re.fullmatch(r"[0-9a-f]{6}", hex_digits), colour

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_digits[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_dark_tokens_are_the_same_for_the_system_setting_and_the_manual_choice() -> None:
    assert DARK_SYSTEM == DARK_CHOSEN


BACKGROUNDS = ["bg", "surface", "surface-2"]
TEXT = ["text", "text-muted", "accent", "accent-strong", "ok", "warn", "danger"]


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize("foreground", TEXT)
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_text_colours_reach_aa_on_every_surface(
    name: str, foreground: str, background: str
) -> None:
    tokens = THEMES[name]
    ratio = contrast(tokens[foreground], tokens[background])
    assert ratio >= 4.5, f"{name}: --{foreground} on --{background} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize("background", ["accent", "accent-strong"])
def test_primary_button_text_reaches_aa(name: str, background: str) -> None:
    tokens = THEMES[name]
    assert contrast(tokens["accent-contrast"], tokens[background]) >= 4.5


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_focus_ring_and_control_borders_reach_3_to_1(name: str, background: str) -> None:
    tokens = THEMES[name]
    # WCAG 1.4.11: focus indicators and form control boundaries need 3:1.
    assert contrast(tokens["focus"], tokens[background]) >= 3
    assert contrast(tokens["border-strong"], tokens[background]) >= 3


@pytest.mark.parametrize("name", THEMES)
def test_inverted_surfaces_reach_aa(name: str) -> None:
    # Toasts and the chosen segment of a switch use --bg on --text.
    tokens = THEMES[name]
    assert contrast(tokens["bg"], tokens["text"]) >= 4.5
