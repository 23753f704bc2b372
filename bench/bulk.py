"""The bulk paths at 100,000 people: importing the roster, launching a round (every
invitation e-mailed), and the participation page. Run bench/generate.py first.

    .venv/bin/python bench/bulk.py
    BULK_PEOPLE=20000 .venv/bin/python bench/bulk.py     # a roster (and launch) of 20,000

1. Roster: a CSV of 100,000 people in 40 departments (department paths, three levels) is
   previewed and imported into a new organisation, as `import_roster` does; then a second
   file is imported over it (2% new, 5% changed, 3% gone).
2. Launch: a round for all 100,000 is launched (`round_launch`: the invitations written,
   each with its own link, and the dispatch queued) and sent by Celery workers (two worker
   processes, one pool process each, EMAIL_SEND_PARTS=2) through Django's file e-mail
   backend; timed from the click to the dispatch being done, with the e-mails counted.
3. Participation: the page (and the fragment it polls) for the generated round, 100,000
   invitations of which 80% answered, as a facilitator opens them: median of 20.
"""

import csv
import io
import os
import random
import tempfile
import time
from pathlib import Path

from environment import configure, median
from report import running_workers

SIZE = int(os.environ.get("BULK_PEOPLE", "100000"))  # a smaller roster for a quick look


def roster_file(
    people: range, departments: list[str], moved: frozenset[int] = frozenset()
) -> bytes:
    """Person n always has the same department and level, unless n is `moved`."""
    levels = ["Executive"] + ["Manager"] * 11 + ["Front line"] * 88
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "department", "level"])
    for n in people:
        department = departments[(n * 7919 + (n in moved)) % len(departments)]
        writer.writerow([f"Person {n}", f"p{n:06d}@bulk.example", department, levels[n % 100]])
    return out.getvalue().encode()


def roster(rng: random.Random):
    from assessment.models import Department, Level, Organisation
    from assessment.services.roster_import import roster_import, roster_import_preview

    Organisation.objects.filter(slug="bulk").delete()
    organisation = Organisation.objects.create(name="Bulk Ltd", slug="bulk")
    for position, (name, kind) in enumerate(
        [("Executive", "executive"), ("Manager", "manager"), ("Front line", "front_line")]
    ):
        Level.objects.create(organisation=organisation, name=name, kind=kind, position=position)
    paths = list(
        Department.objects.filter(organisation__slug="bench").values_list("path", flat=True)
    )
    first = roster_file(range(SIZE), paths)
    began = time.perf_counter()
    preview = roster_import_preview(organisation=organisation, file=first, filename="staff.csv")
    previewed = time.perf_counter() - began
    result = roster_import(organisation=organisation, preview=preview)
    imported = time.perf_counter() - began
    print(
        f"roster of {SIZE:,} rows: previewed in {previewed:.1f} s, imported (checked again "
        f"and written) in {imported:.1f} s in all: {result.added:,} people, "
        f"{result.departments_created} departments (target: under 60 s)"
    )
    # 3% gone, 5% moved to another department, 2% new.
    kept = range(int(SIZE * 0.03), SIZE + int(SIZE * 0.02))
    moved = frozenset(rng.sample(range(int(SIZE * 0.03), SIZE), int(SIZE * 0.05)))
    second = roster_file(kept, paths, moved)
    began = time.perf_counter()
    result = roster_import(organisation=organisation, file=second, filename="staff.csv")
    print(
        f"re-import: {result.added:,} added, {result.changed:,} changed, "
        f"{result.deactivated:,} deactivated in {time.perf_counter() - began:.1f} s"
    )
    return organisation


def launch(organisation) -> None:
    from django.utils import timezone

    from assessment.models import Dispatch, Instrument, JobStatus
    from assessment.services.rounds import round_create, round_launch

    now = timezone.now()
    round_ = round_create(
        organisation=organisation,
        name="Bulk round",
        purpose="How long a launch for everyone takes.",
        instruments=Instrument.objects.filter(organisation=None),
        opens_at=now,
        closes_at=now + timezone.timedelta(days=14),
    )
    with tempfile.TemporaryDirectory() as logs:
        # The file backend: one file per batch of e-mails, where the in-memory one would
        # keep 100,000 messages in the worker.
        os.environ["EMAIL_URL"] = "filemail://"
        os.environ["EMAIL_FILE_PATH"] = logs
        with running_workers("bulk", 2, Path(logs)) as workers:
            began = time.perf_counter()
            round_launch(round_=round_)
            launched = time.perf_counter() - began
            dispatch = Dispatch.objects.get(round=round_)
            while dispatch.status not in (JobStatus.DONE, JobStatus.FAILED):
                time.sleep(0.5)
                dispatch.refresh_from_db()
            sent = time.perf_counter() - began
            peak = max(w.peak_mib() for w in workers)
    print(
        f"launch for {round_.invitations.count():,}: invitations written and queued in "
        f"{launched:.1f} s; {dispatch.sent:,} e-mails sent ({dispatch.status}) "
        f"{sent:.0f} s after the click by 2 workers (target: under 300 s); "
        f"peak worker memory {peak:.0f} MiB"
    )


def participation() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from assessment.models import Membership, Organisation, Role, Round

    organisation = Organisation.objects.get(slug="bench")
    round_ = Round.objects.get(organisation=organisation)
    user, _ = get_user_model().objects.get_or_create(username="bench-facilitator")
    Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": Role.FACILITATOR}
    )
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    for name in ("rounds:participation", "rounds:participation-table"):
        url = reverse(name, kwargs={"pk": round_.pk})
        if (status := client.get(url).status_code) != 200:
            raise SystemExit(f"{url} answered {status}")
        times = []
        for _ in range(20):
            began = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - began)
        print(
            f"{name.split(':')[1]} page, {round_.invitations.count():,} invitations: "
            f"{median(times) * 1000:.0f} ms (median of 20; target: under 200 ms)"
        )


def main() -> None:
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="centricity-bench-static-"))
    configure()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    participation()
    organisation = roster(random.Random(1))
    launch(organisation)


if __name__ == "__main__":
    main()
