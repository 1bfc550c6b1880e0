"""Every write to accounts and profiles goes through here (one module per concern)."""

from impasto.accounts.services.deletion import (
    account_deletion_cancel,
    account_deletion_request,
    account_erase,
    accounts_purge_due,
    deletion_due_at,
)
from impasto.accounts.services.exports import (
    data_export_build,
    data_export_expire,
    data_export_request,
    data_exports_purge_expired,
)
from impasto.accounts.services.mail import email_send, email_send_later
from impasto.accounts.services.profiles import (
    normalize_link,
    profile_remove_picture,
    profile_set_avatar,
    profile_set_banner,
    profile_update,
)
from impasto.accounts.services.users import user_create, user_save_signup

__all__ = [
    "account_deletion_cancel",
    "account_deletion_request",
    "account_erase",
    "accounts_purge_due",
    "data_export_build",
    "data_export_expire",
    "data_export_request",
    "data_exports_purge_expired",
    "deletion_due_at",
    "email_send",
    "email_send_later",
    "normalize_link",
    "profile_remove_picture",
    "profile_set_avatar",
    "profile_set_banner",
    "profile_update",
    "user_create",
    "user_save_signup",
]
