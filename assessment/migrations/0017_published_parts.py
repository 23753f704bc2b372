import django.db.models.deletion
from django.db import migrations, models

from assessment.reporting.parts import report_split


def split_snapshots(apps, schema_editor) -> None:
    """Each published report, stored whole until now, in its parts
    (assessment/reporting/parts.py): the organisation part stays on the snapshot."""
    ReportSnapshot = apps.get_model("assessment", "ReportSnapshot")
    PublishedDepartment = apps.get_model("assessment", "PublishedDepartment")
    PublishedComment = apps.get_model("assessment", "PublishedComment")
    PublishedWord = apps.get_model("assessment", "PublishedWord")
    for snapshot in ReportSnapshot.objects.all():
        parts = report_split(snapshot.organisation_part)
        build = snapshot.build_id
        PublishedDepartment.objects.bulk_create(
            PublishedDepartment(build_id=build, path=path, data=data)
            for path, data in parts.departments.items()
        )
        PublishedComment.objects.bulk_create(
            (
                PublishedComment(
                    build_id=build,
                    path=row.path,
                    question=row.question,
                    position=row.position,
                    text=row.text,
                )
                for row in parts.comments
            ),
            batch_size=2000,
        )
        PublishedWord.objects.bulk_create(
            (
                PublishedWord(
                    build_id=build,
                    path=row.path,
                    position=row.position,
                    word=row.word,
                    count=row.count,
                )
                for row in parts.words
            ),
            batch_size=2000,
        )
        snapshot.organisation_part = parts.organisation
        snapshot.save(update_fields=["organisation_part"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0016_commitment_round_recorded_by")]

    operations = [
        migrations.RenameField(
            model_name="reportsnapshot", old_name="data", new_name="organisation_part"
        ),
        migrations.AlterField(
            model_name="reportsnapshot",
            name="organisation_part",
            field=models.JSONField(
                help_text="The report's organisation part (assessment/reporting/parts.py): "
                "the document of docs/report-json.md less its departments, comments and "
                "words, which are stored beside it, under the same build "
                "(PublishedDepartment, PublishedComment, PublishedWord)."
            ),
        ),
        migrations.CreateModel(
            name="PublishedDepartment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(help_text="The department's path in the round's tree.", max_length=1000)),
                ("data", models.JSONField()),
                ("build", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.reportbuild")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("build", "path"), name="published_department_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="PublishedComment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(blank=True, max_length=1000)),
                ("question", models.CharField(max_length=100)),
                ("position", models.PositiveIntegerField()),
                ("text", models.TextField()),
                ("build", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.reportbuild")),
            ],
            options={
                "indexes": [
                    models.Index(fields=["build", "position"], name="published_comment_order"),
                    models.Index(fields=["build", "question", "position"], name="published_comment_question"),
                    models.Index(fields=["build", "path", "position"], name="published_comment_path"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PublishedWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(blank=True, max_length=1000)),
                ("position", models.PositiveIntegerField()),
                ("word", models.TextField()),
                ("count", models.PositiveIntegerField()),
                ("build", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.reportbuild")),
            ],
            options={
                "indexes": [
                    models.Index(fields=["build", "path", "position"], name="published_word_order")
                ],
            },
        ),
        migrations.RunPython(split_snapshots, migrations.RunPython.noop),
    ]
