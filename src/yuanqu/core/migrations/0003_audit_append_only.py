from django.db import migrations

from yuanqu.core.audit_lock import audit_lock_install, audit_lock_remove


def install(apps, schema_editor):
    audit_lock_install(schema_editor.connection)


def remove(apps, schema_editor):
    audit_lock_remove(schema_editor.connection)


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of audit rows."""

    dependencies = [("core", "0002_department")]

    operations = [migrations.RunPython(install, remove)]
