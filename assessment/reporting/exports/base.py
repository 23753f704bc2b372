"""What a download holds, and what an exporter is."""

import datetime
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from django.utils import timezone

from assessment.models import Department, ReportSnapshot, Round
from assessment.selectors.reports import (
    ReportCommitments,
    report_commitments,
    report_instrument_names,
    report_page_scope,
    report_scope,
)

from ..scope import ReportScope


@dataclass(frozen=True)
class ReportExport:
    """What a download holds: the report as its reader may see it, with the live facts a
    printed report needs beside it (commitments, the instruments' names)."""

    round: Round
    snapshot: ReportSnapshot
    scope: ReportScope
    commitments: ReportCommitments
    names: dict[str, str]

    @property
    def built_at(self) -> datetime.datetime:
        return timezone.localtime(self.snapshot.built_at, self.round.organisation.zone)


def report_export(
    round_: Round,
    snapshot: ReportSnapshot,
    within: Department | None = None,
    *,
    texts: bool = True,
) -> ReportExport:
    """The reader's export of `snapshot`: the whole document (`texts`), or its numbers
    without the comments' and words' texts (a part keeps their counts and first words),
    for an exporter that reads the texts it prints by SQL (Exporter.texts)."""
    scope = report_scope(snapshot, within) if texts else report_page_scope(snapshot, within)
    return ReportExport(
        round=round_,
        snapshot=snapshot,
        scope=scope,
        commitments=report_commitments(round_, snapshot, within),
        names=report_instrument_names(round_),
    )


class Exporter(Protocol):
    extension: str
    content_type: str
    # Whether it reads every comment's and word's text (report_export's `texts`).
    texts: bool

    def write(self, export: ReportExport, stream: BinaryIO) -> None: ...
