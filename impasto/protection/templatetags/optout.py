from __future__ import annotations

from django import template

from impasto.protection import optout

register = template.Library()


@register.simple_tag
def tdm_policy_url() -> str:
    """Absolute URL of the AI and data-mining policy, for the tdm-policy meta tag."""
    return optout.policy_url()
