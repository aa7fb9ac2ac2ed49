from django.db import migrations

# The role codes as they were when this migration was written (see yuanqu.accounts.roles.Role).
ROLES = [
    "leadership",
    "statistician",
    "investment_officer",
    "chain_leader",
    "service_staff",
    "supervisor",
    "system_admin",
    "security_admin",
    "audit_admin",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
