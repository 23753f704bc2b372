"""An independent recount of a culture report, for tests that build one with real workers
(tests/tasks/test_report_worker.py, tests/faults/): an organisation of a dozen departments
with a few thousand generated respondents, and every number of the report recounted in
plain Python over those respondents. The recount shares no code with assessment/reporting:
it walks respondents, not counts, and reads scores from the Choice rows."""

import math
import random
from collections import Counter
from dataclasses import dataclass

from assessment.models import Choice, Department, Level, LevelKind, Organisation, Question, Round
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import SUPPRESSED, ReportReader, leaks
from tests.support.report_data import Respondent, make_round, write_responses

# (parent, name): (executives, managers, front line) answering; a tenth more are invited.
ORGANISATION = {
    (None, "Sales"): (0, 0, 0),
    ("Sales", "Field Sales"): (8, 20, 300),
    ("Sales", "Inside Sales"): (2, 15, 250),
    # Customer Service has people of its own besides its two teams.
    (None, "Customer Service"): (4, 10, 0),
    ("Customer Service", "Contact Centre"): (1, 30, 700),
    ("Customer Service", "Returns"): (0, 8, 120),
    (None, "Operations"): (0, 0, 0),
    ("Operations", "Logistics"): (6, 25, 350),
    ("Operations", "Warehouse"): (0, 20, 280),
    ("Operations", "Yard"): (0, 0, 3),
    (None, "Finance"): (5, 12, 60),
    (None, "Legal"): (0, 1, 3),
}
WORDS = ["customers", "Clients", "accounts", "members", "guests", "users", "targets", "people"]
STORIES = ["A refund took three weeks.", "The driver fixed it himself.", "They wrote to the CEO."]
COMMENTS = ["Meetings run late.", "good energy", "Nobody listens to the floor", "Weekly huddle"]


@dataclass
class Item:
    code: str
    kind: str
    instrument: str
    values: list[int]
    scores: dict[int, int | None]
    unfavourable: set[int]


def load_items(round_) -> list[Item]:
    items = []
    questions = Question.objects.filter(instrument__in=round_.instruments.all()).select_related(
        "instrument"
    )
    for question in questions.order_by(
        "instrument__roundinstrument__position", "section__position", "position"
    ):
        choices = list(Choice.objects.filter(question=question).order_by("position"))
        items.append(
            Item(
                code=question.code,
                kind=question.kind,
                instrument=question.instrument.key,
                values=[c.value for c in choices],
                scores={c.value: c.score for c in choices},
                unfavourable={c.value for c in choices if c.unfavourable},
            )
        )
    return items


def generate(rng: random.Random, departments: dict[str, Department], levels, items) -> tuple:
    """Respondents with plausible, varied answers, and who was invited but did not answer."""
    crowd: list[Respondent] = []
    absent = []
    kinds = [LevelKind.EXECUTIVE, LevelKind.MANAGER, LevelKind.FRONT_LINE]
    for (_, name), sizes in ORGANISATION.items():
        department = departments[name]
        for kind, size in zip(kinds, sizes, strict=True):
            level = levels[kind]
            mood = rng.random()
            for _ in range(size):
                person = Respondent(department=department, level=level)
                for item in items:
                    if item.kind == "text":
                        continue
                    if rng.random() < 0.04:  # an item left unanswered
                        continue
                    if item.kind == "multi_choice":
                        ticked = [v for v in item.values if rng.random() < 0.35]
                        if ticked:
                            person.answers[item.code] = ticked
                        continue
                    if rng.random() < mood:
                        person.answers[item.code] = rng.choice(item.values[len(item.values) // 2 :])
                    else:
                        person.answers[item.code] = rng.choice(item.values)
                if rng.random() < 0.6:
                    picked = rng.sample(WORDS, k=rng.randint(1, 3))
                    spaced = [f"  {w.upper()}" if rng.random() < 0.2 else w for w in picked]
                    person.texts["conversation-04-words"] = ", ".join(spaced)
                if rng.random() < 0.1:
                    person.texts["trust-03"] = rng.choice(STORIES)
                for code in ("conversation-02", "conversation-03", "trust-01"):
                    if rng.random() < 0.05:
                        person.comments[code] = rng.choice(COMMENTS)
                crowd.append(person)
            if size:
                absent.append((department, level, max(1, size // 10)))
    # Only four people in the Contact Centre answer trust-01.
    contact = [p for p in crowd if p.department == departments["Contact Centre"]]
    for person in contact[4:]:
        person.answers.pop("trust-01", None)
    for person in contact[:4]:
        person.answers["trust-01"] = 3
    return crowd, absent


# --- The recount ---------------------------------------------------------------------------


def recount_item(item: Item, group: list[Respondent]) -> dict:
    if item.kind == "multi_choice":
        ticks = [p.answers[item.code] for p in group if p.answers.get(item.code)]
        n = len(ticks)
        distribution = {str(v): sum(1 for t in ticks if v in t) for v in item.values}
        return {
            "n": n,
            "distribution": distribution,
            "shares": {v: (round(c / n, 4) if n else None) for v, c in distribution.items()},
            "mean": None,
            "score": None,
            "unfavourable": None,
            "smoke": False,
            "change": None,
        }
    answers = [p.answers[item.code] for p in group if item.code in p.answers]
    n = len(answers)
    distribution = {str(v): answers.count(v) for v in item.values}
    scored = [item.scores[a] for a in answers if item.scores[a] is not None]
    score = round(sum(scored) / len(scored), 1) if scored else None
    mean = round(sum(answers) / n, 2) if item.kind in ("rating_5", "bipolar_7") and n else None
    unfavourable = None
    if item.unfavourable and n:
        unfavourable = round(sum(1 for a in answers if a in item.unfavourable) / n, 4)
    return {
        "n": n,
        "distribution": distribution,
        "shares": {v: (round(c / n, 4) if n else None) for v, c in distribution.items()},
        "mean": mean,
        "score": score,
        "unfavourable": unfavourable,
        "smoke": bool(
            score is not None and unfavourable is not None and score >= 60 and unfavourable >= 0.2
        ),
        "change": None,
    }


def recount_group(actual: dict, items: list[Item], group: list[Respondent], invited: int) -> dict:
    """The group as the report should show it, given which of its items the report
    suppressed (the anonymity of those decisions is checked separately)."""
    questions = {}
    for item in items:
        if item.kind == "text":
            continue
        shown = actual["questions"][item.code] != SUPPRESSED
        questions[item.code] = recount_item(item, group) if shown else SUPPRESSED
    visible = {code: q for code, q in questions.items() if q != SUPPRESSED}

    def of(instrument: str) -> list[tuple[Item, dict]]:
        return [
            (i, visible[i.code]) for i in items if i.instrument == instrument and i.code in visible
        ]

    checklist_scores = [q["score"] for _, q in of("checklist") if q["score"] is not None]
    checklist = (
        round(math.fsum(checklist_scores) / len(checklist_scores), 1) if checklist_scores else None
    )
    obsessed = []
    for item, q in of("obsessed"):
        if q["mean"] is None:
            continue
        where = "obsessed" if q["mean"] >= 5 else "reactive" if q["mean"] <= 3 else "in between"
        obsessed.append({"code": item.code, "mean": q["mean"], "position": where})
    obstacles = sorted(
        (
            {
                "code": i.code,
                "mean": q["mean"],
                "score": q["score"],
                "unfavourable": q["unfavourable"],
            }
            for i, q in of("obstacles")
            if q["mean"] is not None
        ),
        key=lambda o: (-o["mean"], o["code"]),
    )
    return {
        "invited": invited,
        "responded": len(group),
        "rate": round(len(group) / invited, 4) if invited else None,
        "questions": questions,
        "checklist": {"score": checklist, "change": None},
        "obsessed": obsessed,
        "obstacles": obstacles,
        "smoke": [i.code for i in items if visible.get(i.code, {}).get("smoke")],
    }


def without_wording(view: dict) -> dict:
    """The report repeats each dimension's and obstacle's wording; the recount compares
    numbers, so it leaves the wording out of the comparison."""
    view = dict(view)
    view["obsessed"] = [{k: v for k, v in o.items() if k != "dimension"} for o in view["obsessed"]]
    view["obstacles"] = [{k: v for k, v in o.items() if k != "obstacle"} for o in view["obstacles"]]
    return view


def recount_words(group: list[Respondent]) -> list[dict]:
    used = Counter()
    for person in group:
        text = person.texts.get("conversation-04-words", "")
        used.update({w.strip().lower() for w in text.split(",") if w.strip()})
    return [{"word": w, "count": c} for w, c in sorted(used.items(), key=lambda x: (-x[1], x[0]))]


def recount_comments(group: list[Respondent], items: list[Item]) -> dict:
    texts: dict[str, list[str]] = {}
    for item in items:
        found = [p.comments[item.code] for p in group if item.code in p.comments]
        if item.code != "conversation-04-words":
            found += [p.texts[item.code] for p in group if item.code in p.texts]
        if found:
            texts[item.code] = sorted(found, key=lambda t: (t.lower(), t))
    return texts


def recount_gap(levels_view: dict, executive: str, front_line: str) -> list[dict]:
    gaps = []
    top, bottom = levels_view[executive], levels_view[front_line]
    if SUPPRESSED in (top, bottom):
        return []
    for code, item in top["questions"].items():
        other = bottom["questions"][code]
        if SUPPRESSED in (item, other) or item["score"] is None or other["score"] is None:
            continue
        gap = round(item["score"] - other["score"], 1)
        gaps.append(
            {"code": code, "executive": item["score"], "front_line": other["score"], "gap": gap}
        )
    return sorted(gaps, key=lambda g: (-abs(g["gap"]), g["code"]))


def first_difference(actual, expected, where="") -> str:
    if isinstance(actual, dict) and isinstance(expected, dict):
        for key in sorted(set(actual) | set(expected), key=str):
            if actual.get(key, "<missing>") != expected.get(key, "<missing>"):
                return first_difference(actual.get(key), expected.get(key), f"{where}.{key}")
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            if a != e:
                return first_difference(a, e, f"{where}[{index}]")
    return f"{where}: report {actual!r}, recount {expected!r}"


def check(actual, expected, where: str, checked: Counter) -> None:
    assert actual == expected, first_difference(actual, expected, where)
    checked["groups"] += 1


# --- The organisation, and the whole report checked ----------------------------------------


@dataclass
class Generated:
    """A closed round of the ORGANISATION with its generated responses written."""

    round: Round
    departments: dict[str, Department]
    levels: dict[str, Level]
    items: list[Item]
    crowd: list[Respondent]
    absent: list[tuple[Department, Level, int]]


def generate_round(
    organisation: Organisation, instruments, *, seed: int = 20240611, **round_options
) -> Generated:
    """The ORGANISATION's departments, a closed round of `instruments` (threshold 5,
    comment threshold 10 unless given) and its respondents' rows."""
    rng = random.Random(seed)
    departments: dict[str, Department] = {}
    for parent, name in ORGANISATION:
        departments[name] = DepartmentFactory(
            organisation=organisation, name=name, parent=departments.get(parent)
        )
    levels = {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}
    round_options.setdefault("threshold", 5)
    round_options.setdefault("comment_threshold", 10)
    round_ = make_round(organisation, instruments, **round_options)
    items = load_items(round_)
    crowd, absent = generate(rng, departments, levels, items)
    write_responses(round_, crowd, not_responded=absent)
    return Generated(round_, departments, levels, items, crowd, absent)


def check_against_recount(data: dict, generated: Generated) -> Counter:
    """Every group, item, gap, comment list, word list and heatmap cell of the report's
    JSON equals the recount, and the gate leaves nothing small to subtraction. Returns
    how many groups were compared and how many were suppressed."""
    crowd, items = generated.crowd, generated.items
    organisation = generated.round.organisation
    levels = generated.levels

    # Who is in which group, recounted from the generated rows.
    def members(path: str | None, level: Level | None = None) -> list[Respondent]:
        return [
            p
            for p in crowd
            if (
                path is None
                or p.department.path == path
                or p.department.path.startswith(path + "/")
            )
            and (level is None or p.level == level)
        ]

    invitations = Counter()
    for person in crowd:
        invitations[(person.department.path, person.level.pk)] += 1
    for department, level, count in generated.absent:
        invitations[(department.path, level.pk)] += count

    def invited(path: str | None, level: Level | None = None) -> int:
        return sum(
            n
            for (p, lv), n in invitations.items()
            if (path is None or p == path or p.startswith(path + "/"))
            and (level is None or lv == level.pk)
        )

    ordered_levels = list(Level.objects.filter(organisation=organisation).order_by("position"))
    executive = levels[LevelKind.EXECUTIVE].name
    front_line = levels[LevelKind.FRONT_LINE].name
    checked: Counter = Counter()

    def check_whole(view: dict, path: str | None, where: str) -> None:
        if view == SUPPRESSED:
            checked["suppressed"] += 1
            return
        group = members(path)
        mine = {
            k: view[k]
            for k in (
                "invited",
                "responded",
                "rate",
                "questions",
                "checklist",
                "obsessed",
                "obstacles",
                "smoke",
            )
        }
        check(
            without_wording(mine), recount_group(view, items, group, invited(path)), where, checked
        )
        for level in ordered_levels:
            cell = view["levels"][level.name]
            if cell == SUPPRESSED:
                checked["suppressed"] += 1
                continue
            expected = recount_group(cell, items, members(path, level), invited(path, level))
            check(without_wording(cell), expected, f"{where}.levels.{level.name}", checked)
        check(
            view["gap"], recount_gap(view["levels"], executive, front_line), f"{where}.gap", checked
        )
        if view["comments"] == SUPPRESSED:
            assert view["words"] == SUPPRESSED
            checked["suppressed"] += 1
        else:
            check(view["comments"], recount_comments(group, items), f"{where}.comments", checked)
            check(view["words"], recount_words(group), f"{where}.words", checked)

    check_whole(data["organisation"], None, "organisation")
    assert set(data["departments"]) == {d.path for d in generated.departments.values()}
    for path, view in data["departments"].items():
        check_whole(view, path, path)

    scored = [i.code for i in items if any(s is not None for s in i.scores.values())]
    assert data["heatmap"]["items"] == scored
    for path, row in data["heatmap"]["departments"].items():
        view = data["departments"][path]
        expected_row = {
            code: SUPPRESSED
            if view == SUPPRESSED or view["questions"][code] == SUPPRESSED
            else recount_item(next(i for i in items if i.code == code), members(path))["score"]
            for code in scored
        }
        check(row, expected_row, f"heatmap.{path}", checked)

    assert data["responses"] == len(crowd)
    round_ = generated.round
    assert (data["threshold"], data["comment_threshold"]) == (
        round_.threshold,
        round_.comment_threshold,
    )

    # What the gate decided: nothing small, nothing that subtraction narrows down.
    reader = ReportReader(data, generated.departments.values(), ordered_levels)
    assert (
        leaks(
            reader,
            crowd,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
        )
        == []
    )
    return checked
