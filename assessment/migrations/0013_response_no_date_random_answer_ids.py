"""A response keeps no day, an invitation no day of starting or finishing, and answers and
texts get random ids like the response's: a serial id put them in the order they were
written. Every stored answer and text is kept: each gets a new random id (a new column,
filled row by row), then the old id is dropped and the new one becomes the primary key."""

import uuid

from django.db import migrations, models

MODELS = ("Answer", "TextAnswer")
BATCH = 2000


def fill_random_ids(apps, schema_editor) -> None:
    for name in MODELS:
        model = apps.get_model("assessment", name)
        if schema_editor.connection.vendor == "postgresql":
            # One statement: millions of rows do not make the trip to Python and back.
            table = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(f"UPDATE {table} SET new_id = gen_random_uuid()")
            continue
        ids = list(model.objects.using(schema_editor.connection.alias).values_list("id", flat=True))
        for start in range(0, len(ids), BATCH):
            rows = [model(id=pk, new_id=uuid.uuid4()) for pk in ids[start : start + BATCH]]
            model.objects.using(schema_editor.connection.alias).bulk_update(rows, ["new_id"])


def swap_primary_key(model_name: str) -> list:
    return [
        migrations.RemoveField(model_name=model_name, name="id"),
        migrations.AlterField(
            model_name=model_name,
            name="new_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.RenameField(model_name=model_name, old_name="new_id", new_name="id"),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0012_threshold_fields"),
    ]

    operations = [
        migrations.RemoveField(model_name="invitation", name="started_on"),
        migrations.RemoveField(model_name="invitation", name="submitted_on"),
        migrations.RemoveField(model_name="response", name="submitted_on"),
        *(
            migrations.AddField(
                model_name=model_name,
                name="new_id",
                field=models.UUIDField(null=True, editable=False),
            )
            for model_name in ("answer", "textanswer")
        ),
        migrations.RunPython(fill_random_ids, migrations.RunPython.noop, elidable=False),
        *swap_primary_key("answer"),
        *swap_primary_key("textanswer"),
    ]
