from assessment.management.round_step import RoundStepCommand
from assessment.models import Round
from assessment.services.rounds import round_close


class Command(RoundStepCommand):
    help = "Close a launched round now: no more answers are accepted."

    def step(self, round_: Round) -> Round:
        return round_close(round_=round_)

    def done(self, round_: Round) -> str:
        submitted = round_.invitations.filter(status="submitted").count()
        return (
            f"Closed round {round_.pk} “{round_.name}”: {submitted} of "
            f"{round_.invitations.count()} invited submitted."
        )
