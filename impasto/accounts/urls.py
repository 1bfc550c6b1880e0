from django.urls import path, register_converter
from django.urls.converters import get_converters
from django.views.generic import RedirectView

from impasto.accounts import views
from impasto.accounts.navigation import ProfileTabConverter

app_name = "accounts"

if "profiletab" not in get_converters():
    register_converter(ProfileTabConverter, "profiletab")

urlpatterns = [
    path("@<str:handle>", views.profile_detail, name="profile"),
    # The profile's tabs, declared by the apps (navigation.ProfileTab); other words fall through.
    path("@<str:handle>/<profiletab:tab>", views.profile_detail, name="profile-tab"),
    path("@<str:handle>/pictures/<str:name>", views.profile_picture, name="profile-picture"),
    path(
        "settings/",
        RedirectView.as_view(pattern_name="accounts:settings-profile"),
        name="settings",
    ),
    path("settings/profile", views.settings_profile, name="settings-profile"),
    path("settings/profile/<str:field>", views.settings_picture, name="settings-picture"),
    path("settings/export", views.settings_export, name="settings-export"),
    path(
        "settings/export/<int:export_id>/download",
        views.export_download,
        name="export-download",
    ),
    path("settings/delete", views.settings_delete, name="settings-delete"),
    path("accounts/restore/", views.restore, name="restore"),
]
