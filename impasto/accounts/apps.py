from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import SettingsLink
from impasto.core.jobs import PeriodicJob


class AccountsConfig(AppConfig):
    name = "impasto.accounts"
    periodic_jobs = [
        PeriodicJob("purge_deleted_accounts", every=timedelta(hours=1)),
        PeriodicJob("purge_expired_exports", every=timedelta(hours=1)),
    ]
    label = "accounts"
    verbose_name = _("Accounts")

    # What this app keeps about a person, and how it leaves (impasto.accounts.userdata).
    user_data_export = "impasto.accounts.services.exports.user_data_export"
    user_data_erase = "impasto.accounts.services.deletion.user_data_erase"

    # The settings pages this app provides (impasto.accounts.navigation).
    settings_links = [
        SettingsLink(section="profile", url_name="accounts:settings-profile", label=_("Profile")),
        SettingsLink(
            section="account",
            url_name="account_email",
            label=_("Email addresses"),
            order=10,
        ),
        SettingsLink(
            section="account",
            url_name="account_change_password",
            label=_("Password"),
            order=20,
            also=("account_set_password",),
        ),
        SettingsLink(
            section="security",
            url_name="mfa_index",
            label=_("Two-factor authentication"),
            order=10,
            also=(
                "mfa_activate_totp",
                "mfa_deactivate_totp",
                "mfa_view_recovery_codes",
                "mfa_generate_recovery_codes",
            ),
        ),
        SettingsLink(
            section="security", url_name="usersessions_list", label=_("Sessions"), order=20
        ),
        SettingsLink(
            section="data", url_name="accounts:settings-export", label=_("Export your data")
        ),
        SettingsLink(
            section="data",
            url_name="accounts:settings-delete",
            label=_("Delete account"),
            order=90,
        ),
    ]

    def ready(self) -> None:
        # A processed avatar or banner replaces the profile's picture (docs/accounts.md).
        from impasto.accounts.services.profiles import profile_picture_uses
        from impasto.imaging.signals import asset_ready
        from impasto.imaging.uses import register_use_finder

        asset_ready.connect(_picture_ready, dispatch_uid="accounts.picture_ready")
        # The avatar or banner shown now cannot be deleted from the uploads (docs/imaging.md).
        register_use_finder("accounts.picture", profile_picture_uses)


def _picture_ready(sender: object, asset: object, **kwargs: object) -> None:
    from impasto.accounts.services.profiles import profile_picture_ready
    from impasto.imaging.models import MediaAsset

    if isinstance(asset, MediaAsset):
        profile_picture_ready(asset=asset)
