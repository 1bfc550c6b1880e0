from django.contrib import admin
from django.urls import include, path

from impasto.imaging import views as imaging_views

urlpatterns = [
    path("", include("impasto.core.urls")),
    path("", include("impasto.protection.urls")),  # robots.txt, ai.txt, tdmrep.json, ai-policy/
    path("", include("impasto.api.urls")),  # /api/v1/ and /settings/tokens
    path("", include("impasto.accounts.urls")),  # profiles (/@handle), settings pages
    path("", include("impasto.protection.cloaking.urls")),  # cloak/works/<id>/ (docs/cloaking.md)
    path("", include("impasto.social.urls")),  # posts, people, notifications, messages
    path("", include("impasto.feeds.urls")),  # feeds, discovery (docs/feeds.md)
    path("", include("impasto.search.urls")),  # /search (docs/feeds.md, "Search")
    path("", include("impasto.art.urls")),  # projects and albums (docs/portfolio.md)
    path("accounts/", include("allauth.urls")),
    path("media/", include("impasto.imaging.urls")),
    path("moderation/", include("impasto.moderation.urls")),
    # Check a suspected copy (docs/protection.md); the form posts to media/verify/check.
    path("settings/verify", imaging_views.verify_page, name="settings-verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# --- error pages (impasto.core.errors); allauth's rate limits look up handler429 here ------
handler400 = "impasto.core.errors.bad_request"
handler403 = "impasto.core.errors.permission_denied"
handler404 = "impasto.core.errors.page_not_found"
handler429 = "impasto.accounts.views.rate_limited"  # the shared 429 page, with a log-in hint
handler500 = "impasto.core.errors.server_error"
