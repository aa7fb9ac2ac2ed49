from django.db import migrations

# The service centre's roles (see yuanqu.accounts.roles.Role), added after 0002_roles.
ROLES = ["service_reviewer", "service_manager"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
