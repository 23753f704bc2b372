"""A culture report's numbers recounted in plain Python over the respondents, for
tests/support/report_recount.py and the leak-trap test. It shares no code with
assessment/reporting: it walks respondents, not counts, and reads scores from the Choice
rows."""

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from assessment.models import Choice, Question
from tests.support.report_checks import SUPPRESSED
from tests.support.report_data import Respondent


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


def recount_split(item: Item, answers: list[int]) -> dict | None:
    """% favourable (scored above the middle, not marked unfavourable), unfavourable
    (marked so) and neutral (the rest), whole numbers that add up to 100: floors, then
    the points left to the largest remainders, ties in that order."""
    if not answers or all(score is None for score in item.scores.values()):
        return None
    sides = {"favourable": 0, "neutral": 0, "unfavourable": 0}
    for answer in answers:
        if answer in item.unfavourable:
            sides["unfavourable"] += 1
        elif (item.scores[answer] or 0) > 50:
            sides["favourable"] += 1
        else:
            sides["neutral"] += 1
    exact = {side: Fraction(100 * count, len(answers)) for side, count in sides.items()}
    split = {side: int(value) for side, value in exact.items()}
    by_remainder = sorted(exact, key=lambda side: split[side] - exact[side])
    for side in by_remainder[: 100 - sum(split.values())]:
        split[side] += 1
    return split


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
            "split": None,
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
        "split": recount_split(item, answers),
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
