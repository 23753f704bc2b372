from .instruments import Choice, Instrument, Question, QuestionKind, Section
from .organisation import Department, Level, LevelKind, Membership, Organisation, Role
from .people import Person
from .responses import Answer, DraftPage, Response, TextAnswer
from .rounds import (
    Dispatch,
    DispatchKind,
    Invitation,
    InvitationStatus,
    JobStatus,
    Round,
    RoundInstrument,
    RoundStatus,
)
from .workshops import (
    Commitment,
    CommitmentStatus,
    Workshop,
    WorkshopAnswer,
    WorkshopParticipant,
    WorkshopQuestion,
    WorkshopStatus,
)

__all__ = [
    "Answer",
    "Choice",
    "Commitment",
    "CommitmentStatus",
    "Department",
    "Dispatch",
    "DispatchKind",
    "DraftPage",
    "Instrument",
    "Invitation",
    "InvitationStatus",
    "JobStatus",
    "Level",
    "LevelKind",
    "Membership",
    "Organisation",
    "Person",
    "Question",
    "QuestionKind",
    "Response",
    "Role",
    "Round",
    "RoundInstrument",
    "RoundStatus",
    "Section",
    "TextAnswer",
    "Workshop",
    "WorkshopAnswer",
    "WorkshopParticipant",
    "WorkshopQuestion",
    "WorkshopStatus",
]
