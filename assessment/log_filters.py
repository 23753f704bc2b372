"""Logging filters that keep what identifies a respondent out of the logs."""

import logging
import re

# The one path that carries an invitation link's secret (see assessment/urls/__init__.py).
INVITATION_PATH = re.compile(r"/r/[^/\s?#\"']+")


class HideInvitationLinks(logging.Filter):
    """Replace the secret in any invitation link a record mentions: Django logs the path
    of a request that failed, and a respondent's first request carries their link."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = INVITATION_PATH.sub("/r/[hidden]", message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


# What WeasyPrint's warning says instead of naming the character.
MISSING_GLYPH = (
    "A PDF shows a box for a character none of the server's fonts can draw "
    "(the character is left out of the log: it comes from what someone wrote)."
)


class HideMissingGlyphs(logging.Filter):
    """WeasyPrint warns once for each character no font can draw, naming it: a comment in
    a script the server has no font for would be logged character by character."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(".notdef glyph"):
            record.msg, record.args = MISSING_GLYPH, ()
        return True
