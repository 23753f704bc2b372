"""The JSON download: the reader's scope of the snapshot (docs/report-json.md)."""

import io
import json
from typing import BinaryIO

from assessment.free_text import cleaned_json

from .base import ReportExport


class JsonExporter:
    extension = "json"
    content_type = "application/json"
    texts = True

    def write(self, export: ReportExport, stream: BinaryIO) -> None:
        # Encoded and written a piece at a time (TextIOWrapper gathers the encoder's small
        # pieces): at 100,000 people the file is some 56 MB, never held whole as text.
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
        for piece in encoder.iterencode(cleaned_json(export.scope.json())):
            text.write(piece)
        text.write("\n")
        text.flush()
        text.detach()  # the stream is the caller's to close
