"""The JSON download: the reader's scope of the snapshot (docs/report-json.md)."""

import json
from typing import BinaryIO

from assessment.free_text import cleaned_json

from .base import ReportExport


class JsonExporter:
    extension = "json"
    content_type = "application/json"
    texts = True

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        text = json.dumps(cleaned_json(export.scope.json()), ensure_ascii=False, indent=2)
        stream.write(text.encode("utf-8") + b"\n")
