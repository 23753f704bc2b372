"""The JSON download: the reader's scope of the snapshot (docs/report-json.md)."""

import json
from typing import BinaryIO

from assessment.free_text import cleaned_json

from .base import ReportExport

# Characters encoded and written at a time: the file is never held whole as text and as
# bytes (at 100,000 people it is some 56 MB, twice over), only the document it encodes.
WRITE_CHARS = 1 << 16


class JsonExporter:
    extension = "json"
    content_type = "application/json"
    texts = True

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
        pending: list[str] = []
        size = 0
        for chunk in encoder.iterencode(cleaned_json(export.scope.json())):
            pending.append(chunk)
            size += len(chunk)
            if size >= WRITE_CHARS:
                stream.write("".join(pending).encode("utf-8"))
                pending.clear()
                size = 0
        pending.append("\n")
        stream.write("".join(pending).encode("utf-8"))
