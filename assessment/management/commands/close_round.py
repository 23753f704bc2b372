from assessment.management.round_step import RoundStepCommand
from assessment.models import Round
from assessment.services.rounds import round_close


class Command(RoundStepCommand):
    help = "Close a launched round now: no more answers are accepted."

    def step(self, round: Round) -> Round:
        return round_close(round=round)

    def done(self, round: Round) -> str:
        submitted = round.invitations.filter(status="submitted").count()
        return (
            f"Closed round {round.pk} “{round.name}”: {submitted} of "
            f"{round.invitations.count()} invited submitted."
        )
