from django.db import migrations

from assessment.builtin_instruments import load_builtin_instruments


def load(apps, schema_editor):
    load_builtin_instruments(apps)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
