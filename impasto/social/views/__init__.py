"""The web pages of the social app (docs/social-web.md): thin views over the selectors and
services, each action answering htmx with a partial and a plain form post with a redirect."""
