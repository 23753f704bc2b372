from assessment.management.round_step import RoundStepCommand
from assessment.models import Round
from assessment.services.rounds import round_launch


class Command(RoundStepCommand):
    help = "Launch a draft round: invite its audience and queue the invitation e-mails."

    def step(self, round: Round) -> Round:
        return round_launch(round=round)

    def done(self, round: Round) -> str:
        return (
            f"Launched round {round.pk} “{round.name}”: "
            f"{round.invitations.count()} invitations queued for e-mailing."
        )
