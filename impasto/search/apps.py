from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search of people, posts and tags (projects register later)."""

    name = "impasto.search"
    label = "search"
    verbose_name = _("Search")
