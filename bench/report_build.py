"""How long the culture report takes to build, counted the way the workers count it.

    DJANGO_SETTINGS_MODULE=config.settings.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/centricity_bench \\
    .venv/bin/python bench/report_build.py --responses 20000

Creates the database if needed, migrates it, writes an organisation of 40 departments
(a two-level tree) × 3 levels with the given number of responses to all five instruments,
then times each step of a build in-process: every department's count (what one task
does), the merge, and the whole build. Figures go in bench/README.md.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assessment.models import (  # noqa: E402
    Answer,
    Instrument,
    Level,
    LevelKind,
    Organisation,
    ReportPart,
)
from assessment.services import reports  # noqa: E402
from tests.factories import DepartmentFactory  # noqa: E402
from tests.report_data import Respondent, make_round, write_responses  # noqa: E402


def organisation_with_answers(responses: int, rng: random.Random):
    organisation = Organisation.objects.create(name="Bench", slug=f"bench-{time.time_ns()}")
    levels = [
        Level.objects.create(organisation=organisation, name=name, kind=kind, position=i)
        for i, (name, kind) in enumerate(
            [
                ("Executive", LevelKind.EXECUTIVE),
                ("Manager", LevelKind.MANAGER),
                ("Front line", LevelKind.FRONT_LINE),
            ]
        )
    ]
    leaves = []
    for top in range(8):
        parent = DepartmentFactory(organisation=organisation, name=f"Division {top}")
        leaves += [
            DepartmentFactory(organisation=organisation, name=f"Team {n}", parent=parent)
            for n in range(4)
        ]
    instruments = list(Instrument.objects.filter(organisation=None))
    round_ = make_round(organisation, instruments)
    questions = [
        (q.code, q.kind, [c.value for c in q.choices.all()])
        for i in instruments
        for q in i.questions.prefetch_related("choices")
    ]
    crowd = []
    for _ in range(responses):
        level = rng.choices(levels, weights=[1, 6, 40])[0]
        person = Respondent(department=rng.choice(leaves), level=level)
        for code, kind, values in questions:
            if kind == "text":
                if code.endswith("-words") and rng.random() < 0.6:
                    person.texts[code] = ", ".join(rng.sample(["customers", "clients", "users"], 2))
            elif kind == "multi_choice":
                person.answers[code] = rng.sample(values, rng.randint(1, 3))
            else:
                person.answers[code] = rng.choice(values)
        crowd.append(person)
    write_responses(round_, crowd)
    return round_


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20000)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    round_ = organisation_with_answers(options.responses, random.Random(1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessment_answer")
    answers = Answer.objects.filter(round=round_).count()
    print(
        f"wrote {options.responses} responses, {answers} answers "
        f"in {time.perf_counter() - started:.1f}s"
    )

    started = time.perf_counter()
    build = reports.ReportBuild.objects.create(round=round_, provisional=False)
    parts = ReportPart.objects.bulk_create(
        ReportPart(build=build, department=d) for d in round_.organisation.departments.all()
    )
    build.parts_total = len(parts)
    build.save(update_fields=["parts_total"])
    slowest = 0.0
    for part in parts:
        one = time.perf_counter()
        reports.report_part_compute(part_id=part.pk)
        slowest = max(slowest, time.perf_counter() - one)
    counted = time.perf_counter() - started
    one = time.perf_counter()
    reports.report_build_merge(build_id=build.pk)
    merged = time.perf_counter() - one
    print(
        f"{len(parts)} departments counted in {counted:.2f}s (slowest {slowest:.2f}s), "
        f"merged in {merged:.2f}s; snapshot {len(str(round_.report.data)) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
