from assessment.management.round_step import RoundStepCommand
from assessment.models import Round
from assessment.services.rounds import round_launch


class Command(RoundStepCommand):
    help = "Launch a draft round: invite its audience and queue the invitation e-mails."

    def step(self, round_: Round) -> Round:
        return round_launch(round_=round_)

    def done(self, round_: Round) -> str:
        return (
            f"Launched round {round_.pk} “{round_.name}”: "
            f"{round_.invitations.count()} invitations queued for e-mailing."
        )
