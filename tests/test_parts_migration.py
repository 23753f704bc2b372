"""Migration 0017 on a report published whole before it: the document is cut into its parts
and joined again it is the same, key for key."""

import copy
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessment.models import PublishedComment, ReportSnapshot
from tests.support.report_pages import build_report

pytestmark = pytest.mark.django_db(transaction=True)

MIGRATION = "0017_published_parts"


def test_a_report_published_whole_is_split_into_parts_and_reads_the_same(tree):
    round_, _ = tree
    published = copy.deepcopy(build_report(round_).data)
    before = import_module(f"assessment.migrations.{MIGRATION}").Migration.dependencies
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    # As it was stored before the parts: the whole document on the snapshot.
    old.get_model("assessment", "ReportSnapshot").objects.filter(round_id=round_.pk).update(
        data=published
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    snapshot = ReportSnapshot.objects.get(round=round_)
    assert "departments" not in snapshot.organisation_part
    assert PublishedComment.objects.filter(build_id=snapshot.build_id).exists()
    assert snapshot.data == published
