"""The audit log refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL): see auditlog.py."""

from typing import Any

from django.db import migrations

from impasto.moderation import auditlog


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (RunSQL's hints need a router to act)."""

    def __init__(self, vendor: str, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(**kwargs)

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_cases_reports_appeals_audit_log")]

    operations = [
        VendorRunSQL(
            "sqlite", sql=auditlog.SQLITE_INSTALL, reverse_sql=auditlog.SQLITE_UNINSTALL
        ),
        VendorRunSQL(
            "postgresql",
            sql=auditlog.POSTGRESQL_INSTALL,
            reverse_sql=auditlog.POSTGRESQL_UNINSTALL,
        ),
    ]
