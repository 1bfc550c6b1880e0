from django.urls import path

from impasto.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("theme", views.theme_set, name="theme"),
    path("settings/appearance", views.appearance, name="appearance"),
    # The PWA files live at the root: the service worker's scope is the path it is served from.
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline", views.offline, name="offline"),
    path("design", views.design, name="design"),
]
