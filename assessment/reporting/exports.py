"""The files a published report is downloaded as. Each format is an exporter that writes
a snapshot to a binary stream; the JSON is the snapshot itself (docs/report-json.md).
XLSX and PDF join EXPORTERS when they exist."""

import json
from typing import BinaryIO, Protocol

from assessment.models import ReportSnapshot
from assessment.selectors.reports import report_json


class Exporter(Protocol):
    extension: str
    content_type: str

    def write(self, snapshot: ReportSnapshot, stream: BinaryIO) -> None: ...


class JsonExporter:
    extension = "json"
    content_type = "application/json"

    def write(self, snapshot: ReportSnapshot, stream: BinaryIO) -> None:
        text = json.dumps(report_json(snapshot), ensure_ascii=False, indent=2)
        stream.write(text.encode("utf-8") + b"\n")


EXPORTERS: dict[str, Exporter] = {"json": JsonExporter()}
