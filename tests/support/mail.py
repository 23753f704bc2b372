"""An e-mail backend for the worker process in tests: writes files like Django's file
backend, and can be told (by a file in its folder) to fail once, part way through."""

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.filebased import EmailBackend as FileBackend

ARM_FILE = "fail-after"


class FlakyFileBackend(FileBackend):
    def send_messages(self, email_messages) -> int:
        arm = Path(self.file_path) / ARM_FILE
        if arm.exists():
            remaining = int(arm.read_text())
            if remaining <= 0:
                arm.unlink()
                raise SMTPServerDisconnected("The test mail server went away (on purpose).")
            arm.write_text(str(remaining - len(email_messages)))
        return super().send_messages(email_messages)


def arm_failure(mail_dir: Path, after: int) -> None:
    """The next send after `after` more messages fails, once."""
    (mail_dir / ARM_FILE).write_text(str(after))


def sent_messages(mail_dir: Path) -> list[EmailMessage]:
    """Every message the worker wrote, parsed."""
    parser = BytesParser(policy=policy.default)
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(parser.parsebytes(chunk.strip()))
    return messages


def recipients(messages: list[EmailMessage]) -> list[str]:
    return sorted(m["To"].addresses[0].addr_spec for m in messages)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
