"""Logging filters that keep what identifies a respondent out of the logs."""

import logging
import re

# The one path that carries an invitation link's secret (see assessment/urls.py).
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
