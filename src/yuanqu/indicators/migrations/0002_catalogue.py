from django.db import migrations


def sync_catalogue(apps, schema_editor):
    from yuanqu.indicators.catalogue import CATALOGUE

    Indicator = apps.get_model("indicators", "Indicator")
    for entry in CATALOGUE:
        values = dict(entry)
        Indicator.objects.update_or_create(code=values.pop("code"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(sync_catalogue, migrations.RunPython.noop)]
