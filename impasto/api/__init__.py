"""The JSON API (django-ninja) and the personal access tokens that authenticate it.

``impasto.api.v1`` builds the versioned API; each domain adds a router under
``impasto.api.routers``. See docs/api.md for the conventions.
"""
