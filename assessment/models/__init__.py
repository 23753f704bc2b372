from .instruments import Choice, Instrument, Question, QuestionKind, Section
from .organisation import Department, Level, LevelKind, Membership, Organisation, Role
from .people import Person
from .reports import (
    REPORT_SCHEMA,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportPartStatus,
    ReportSnapshot,
)
from .responses import Answer, DraftPage, Response, TextAnswer
from .rounds import Invitation, InvitationStatus, Round, RoundInstrument, RoundStatus

__all__ = [
    "REPORT_SCHEMA",
    "Answer",
    "Choice",
    "Department",
    "DraftPage",
    "Instrument",
    "Invitation",
    "InvitationStatus",
    "Level",
    "LevelKind",
    "Membership",
    "Organisation",
    "Person",
    "Question",
    "QuestionKind",
    "ReportBuild",
    "ReportBuildStatus",
    "ReportPart",
    "ReportPartStatus",
    "ReportSnapshot",
    "Response",
    "Role",
    "Round",
    "RoundInstrument",
    "RoundStatus",
    "Section",
    "TextAnswer",
]
