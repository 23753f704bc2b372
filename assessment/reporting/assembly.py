"""Putting the culture report together from the departments' counts.

Pure: counts in, the snapshot's JSON out (docs/report-json.md). Every group, every item
of a group and every comment list is decided by the anonymity gate
(assessment/anonymity/) before a number about it is written; what the gate suppresses
appears as `{"suppressed": true}` and nothing else.
"""

from collections.abc import Mapping, Sequence

from assessment.anonymity import (
    ORGANISATION,
    OrganisationShape,
    cell_key,
    department_key,
    is_shown,
)

from .counts import Counts, DepartmentInfo, LevelInfo, too_few_invited
from .gate import COMMENTS, GROUPS, Gate, Size, item_kind
from .history import Audience, EarlierReport, previous_of, trend, trend_point
from .stats import (
    CHECKLIST_INSTRUMENT,
    LANGUAGE_QUESTION,
    OBSESSED_INSTRUMENT,
    OBSTACLES_INSTRUMENT,
    QuestionInfo,
    comment_order,
    difference,
    item_stats,
    mean_score,
    position,
    share,
    word_counts,
)
from .summary import group_summary
from .views import JSON, JSONView, Suppressed, suppressed
from .views import is_suppressed as is_suppressed  # where its readers have long found it

EXECUTIVE = "executive"
FRONT_LINE = "front_line"


def _view_of(previous: object, *path: str) -> JSONView:
    """A group of the previous round's report, or {} when it is missing or suppressed."""
    view = previous
    for step in path:
        if not isinstance(view, Mapping):
            return {}
        view = view.get(step)
    return view if isinstance(view, Mapping) and not is_suppressed(view) else {}


def question_json(question: QuestionInfo) -> JSON:
    return {
        "code": question.code,
        "instrument": question.instrument,
        "kind": question.kind,
        "text": question.text,
        "reverse_scored": question.reverse_scored,
        "choices": [
            {
                "value": c.value,
                "label": c.label,
                "score": c.score,
                "unfavourable": c.unfavourable,
            }
            for c in question.choices
        ],
    }


def _item_size(question: QuestionInfo) -> Size:
    """Verified people who answered the question, of a department's counts at a level."""
    return lambda counts, level: counts.verified_item(question, level)


def _rolled_up(
    direct: Mapping[int, Counts], parents: Mapping[int, int | None]
) -> dict[int | None, Counts]:
    """Each department's counts with those of every department below it; None: the
    whole organisation."""
    totals: dict[int | None, Counts] = {None: Counts()}
    for department_id, counts in direct.items():
        totals[department_id] = Counts()
        totals[department_id].add(counts)

    def depth(department_id: int) -> int:
        steps = 0
        parent = parents[department_id]
        while parent is not None:
            parent = parents[parent]
            steps += 1
        return steps

    for department_id in sorted(parents, key=depth, reverse=True):
        totals[parents[department_id]].add(totals[department_id])
    return totals


class ReportAssembly:
    """The gate's decisions for one round, and the views built from them."""

    def __init__(
        self,
        *,
        departments: list[DepartmentInfo],
        levels: list[LevelInfo],
        questions: list[QuestionInfo],
        parts: Mapping[int, Counts],
        threshold: int,
        comment_threshold: int,
        last: Mapping[int, Counts] | None = None,
        last_decisions: Mapping[str, list[str]] | None = None,
        history: Sequence[EarlierReport] = (),
        audience: Audience | None = None,
        round_name: str = "",
        opens_on: str = "",
    ) -> None:
        """`parts` are what this version counts of each department's own members; `last`
        and `last_decisions` what the round's published version counted and hid, when
        there is one; `history` the organisation's earlier rounds' reports, newest first,
        for the changes and trends (assessment/reporting/history.py), compared like with
        like given this round's `audience`."""
        self.departments = sorted(departments, key=lambda d: d.path)
        self.levels = levels
        self.questions = questions
        self.items = [q for q in questions if not q.is_text]
        self.history = history
        self.audience = audience or Audience()
        self.round_name = round_name
        self.opens_on = opens_on
        parents = {d.id: d.parent_id for d in departments}
        level_ids = [lv.id for lv in levels]
        direct = {d.id: parts.get(d.id) or Counts() for d in departments}

        shape = OrganisationShape(
            parents=parents,
            levels=level_ids,
            counts={(d, lv): c.verified[lv] for d, c in direct.items() for lv in level_ids},
        )
        self.sizes = shape.sizes()
        self.threshold = threshold
        self._decide(Gate(shape, direct, last, last_decisions), threshold, comment_threshold)
        self.totals = _rolled_up(direct, parents)

    def _decide(self, gate: Gate, threshold: int, comment_threshold: int) -> None:
        """What the gate hides: groups, then each item, then each list of comments."""
        shape = gate.shape
        self.hidden = gate.decide(GROUPS, lambda c, lv: c.verified[lv], threshold)
        # Optional items: a group that is shown may still have too few answers to one
        # item, so each item goes through the gate again with its own n.
        self.item_hidden: dict[int, set[str]] = {
            question.id: gate.decide(
                item_kind(question.id),
                _item_size(question),
                threshold,
                also_hidden=self.hidden,
            )
            for question in self.items
        }
        # Comments are listed per department only, never per level: the level cells are
        # never shown, which also keeps them from forcing a department's list down.
        levels_of = {
            cell_key(shape.node(n), lv) for n in [None, *shape.parents] for lv in shape.levels
        }
        self.comment_hidden = gate.decide(
            COMMENTS,
            lambda c, lv: c.text_verified[lv],
            comment_threshold,
            also_hidden=self.hidden | levels_of,
        )
        self.comment_sizes = gate.sizes(lambda c, lv: c.text_verified[lv])
        self.decisions = gate.decisions

    @staticmethod
    def _key(node: int | None) -> str:
        return ORGANISATION if node is None else department_key(node)

    def _shown(self, node: int | None, level: int | None = None) -> bool:
        group = self._key(node)
        if not is_shown(group, self.hidden, self.sizes):
            return False
        # A suppressed department shows none of its levels either.
        return level is None or is_shown(cell_key(group, level), self.hidden, self.sizes)

    # --- views --------------------------------------------------------------------------

    def group_view(
        self, node: int | None, level: LevelInfo | None, previous: JSONView
    ) -> JSON | Suppressed:
        """Participation and every item of one group: a department (None: the whole
        organisation), or one level of it."""
        if not self._shown(node, None if level is None else level.id):
            return suppressed()
        totals = self.totals[node]
        levels = [level.id] if level else [lv.id for lv in self.levels]
        key = self._key(node) if level is None else cell_key(self._key(node), level.id)
        invited = sum(totals.invited[lv] for lv in levels)
        responded = sum(totals.responded[lv] for lv in levels)
        questions: dict[str, JSON | Suppressed] = {}
        before = previous.get("questions", {})
        for question in self.items:
            if key in self.item_hidden[question.id]:
                questions[question.code] = suppressed()
                continue
            by_value, respondents = totals.item(question, levels)
            stats = item_stats(question, by_value, respondents)
            stats["change"] = difference(
                stats["score"], _view_of(before, question.code).get("score")
            )
            questions[question.code] = stats
        shown = {code: s for code, s in questions.items() if not is_suppressed(s)}
        return {
            "invited": invited,
            "responded": responded,
            "rate": share(responded, invited),
            "questions": questions,
            "checklist": self._checklist(shown, previous),
            "obsessed": self._obsessed(shown),
            "obstacles": self._obstacles(shown),
            "smoke": [q.code for q in self.items if shown.get(q.code, {}).get("smoke")],
        }

    def _of(self, instrument: str, shown: Mapping[str, JSON]) -> list[tuple[QuestionInfo, JSON]]:
        return [
            (q, shown[q.code]) for q in self.items if q.instrument == instrument and q.code in shown
        ]

    def _checklist(self, shown: Mapping[str, JSON], previous: JSONView) -> JSON | None:
        if not any(q.instrument == CHECKLIST_INSTRUMENT for q in self.items):
            return None
        items = self._of(CHECKLIST_INSTRUMENT, shown)
        score = mean_score(s["score"] for _, s in items if s["score"] is not None)
        return {
            "score": score,
            "change": difference(score, _view_of(previous, "checklist").get("score")),
        }

    def _obsessed(self, shown: Mapping[str, JSON]) -> list[JSON]:
        return [
            {
                "code": q.code,
                "dimension": q.text,
                "mean": s["mean"],
                "position": position(s["mean"]),
            }
            for q, s in self._of(OBSESSED_INSTRUMENT, shown)
            if s["mean"] is not None
        ]

    def _obstacles(self, shown: Mapping[str, JSON]) -> list[JSON]:
        ranked = sorted(
            ((q, s) for q, s in self._of(OBSTACLES_INSTRUMENT, shown) if s["mean"] is not None),
            key=lambda item: (-item[1]["mean"], item[0].code),
        )
        return [
            {
                "code": q.code,
                "obstacle": q.text,
                "mean": s["mean"],
                "score": s["score"],
                "unfavourable": s["unfavourable"],
            }
            for q, s in ranked
        ]

    def _gap(self, levels: Mapping[str, JSON]) -> list[JSON]:
        """Executives against the front line on every scored item both show."""
        executive = next((lv for lv in self.levels if lv.kind == EXECUTIVE), None)
        front_line = next((lv for lv in self.levels if lv.kind == FRONT_LINE), None)
        if executive is None or front_line is None:
            return []
        stands = _view_of(levels, executive.name).get("questions", {})
        arena = _view_of(levels, front_line.name).get("questions", {})
        gaps = []
        for question in self.items:
            top = _view_of(stands, question.code).get("score")
            bottom = _view_of(arena, question.code).get("score")
            gap = difference(top, bottom)
            if gap is not None:
                gaps.append(
                    {"code": question.code, "executive": top, "front_line": bottom, "gap": gap}
                )
        return sorted(gaps, key=lambda g: (-abs(g["gap"]), g["code"]))

    def _texts(self, node: int | None) -> tuple[dict[str, list[str]], list[JSON]] | None:
        group = self._key(node)
        if not self._shown(node) or not is_shown(group, self.comment_hidden, self.comment_sizes):
            return None
        codes = {q.id: q.code for q in self.questions}
        comments: dict[str, list[tuple[str, int]]] = {}
        words: list[tuple[str, int]] = []
        for (question_id, _is_comment, text), n in self.totals[node].texts.items():
            code = codes.get(question_id)
            if code is None or not n:
                continue
            if code == LANGUAGE_QUESTION:
                words.append((text, n))
            else:
                comments.setdefault(code, []).append((text, n))
        order = {q.code: i for i, q in enumerate(self.questions)}
        # Each distinct text is sorted once, then listed as often as it was written.
        return (
            {
                code: [
                    text
                    for text, n in sorted(texts, key=lambda item: comment_order(item[0]))
                    for _ in range(n)
                ]
                for code, texts in sorted(comments.items(), key=lambda item: order[item[0]])
            },
            word_counts(words),
        )

    def full_view(self, node: int | None, path: str | None = None) -> JSON | Suppressed:
        """A department (or the organisation) with its levels, gap, comments and words, and
        its trend over the earlier rounds that compare with it."""
        earlier, previous = previous_of(self.history, self.audience, path)
        view = self.group_view(node, None, previous)
        if is_suppressed(view):
            return view
        view["compared_with"] = (
            None if earlier is None else {"id": earlier.id, "name": earlier.name}
        )
        view["levels"] = {
            level.name: self.group_view(node, level, _view_of(previous, "levels", level.name))
            for level in self.levels
        }
        view["gap"] = self._gap(view["levels"])
        texts = self._texts(node)
        view["comments"] = suppressed() if texts is None else texts[0]
        view["words"] = suppressed() if texts is None else texts[1]
        questions = [question_json(q) for q in self.questions]
        now = trend_point(self.round_name, self.opens_on, view, questions)
        view["trend"] = trend(self.history, self.audience, path, now)
        return view

    def report(self) -> JSON:
        organisation = self.full_view(None)
        departments = {d.path: self.full_view(d.id, d.path) for d in self.departments}
        self._summarise(organisation, None, departments)
        for path, view in departments.items():
            self._summarise(view, path, departments)
        scored = [q.code for q in self.items if q.is_scored]
        heatmap = {
            path: {
                code: view["questions"][code].get("score")
                if not is_suppressed(view) and not is_suppressed(view["questions"][code])
                else suppressed()
                for code in scored
            }
            for path, view in departments.items()
        }
        return {
            "organisation": organisation,
            "departments": departments,
            "heatmap": {
                "items": scored,
                "departments": heatmap,
                "too_few_invited": too_few_invited(
                    self.totals, self.departments, self.levels, self.threshold
                ),
            },
        }

    def _summarise(
        self,
        view: JSON | Suppressed,
        path: str | None,
        departments: Mapping[str, JSON | Suppressed],
    ) -> None:
        """What needs attention in a shown group, naming only the departments below it that
        are shown themselves."""
        if is_suppressed(view):
            return
        below = {
            p: d
            for p, d in departments.items()
            if not is_suppressed(d) and (path is None or p.startswith(f"{path}/"))
        }
        view["summary"] = group_summary(view, below, self.items)
