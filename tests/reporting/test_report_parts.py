"""A published report in parts (assessment/reporting/parts.py): cut and joined again, it is
the document that was published, and each comment is stored once, under a group that
lists it."""

import copy

from assessment.reporting.parts import (
    ORGANISATION_PATH,
    group_comments,
    report_join,
    report_split,
)

SUPPRESSED = {"suppressed": True}


def whole(comments, words, **numbers):
    return {
        "invited": 9,
        "questions": {"q1": {"n": 9}},
        **numbers,
        "comments": comments,
        "words": words,
    }


def document():
    """Sales (shown) with Field (shown) and Desk (hidden) below it, Legal (hidden); the
    organisation lists everything. "B" was written twice, once in Field and once in Desk."""
    return {
        "schema": 1,
        "responses": 40,
        "a key added later": {"kept": True},
        "organisation": whole(
            {"q1": ["a", "B", "B", "c", "d"], "q2": ["e"]},
            [{"word": "clients", "count": 3}, {"word": "users", "count": 1}],
        ),
        "departments": {
            "Legal": SUPPRESSED,
            "Sales": whole({"q1": ["a", "B", "B", "c"]}, [{"word": "clients", "count": 2}]),
            "Sales/Desk": whole(SUPPRESSED, SUPPRESSED),
            "Sales/Field": whole({"q1": ["B", "c"]}, [{"word": "clients", "count": 1}], new=1),
        },
        "heatmap": {"items": ["q1"], "departments": {"Sales": {"q1": 50.0}}},
    }


def test_joined_again_the_parts_are_the_published_document_key_for_key():
    published = document()

    parts = report_split(copy.deepcopy(published))

    assert report_join(parts) == published


def test_the_parts_keep_counts_and_every_other_key_and_no_text():
    parts = report_split(document())

    assert "departments" not in parts.organisation
    assert parts.organisation["a key added later"] == {"kept": True}
    assert parts.organisation["organisation"]["comments"] == {"q1": 5, "q2": 1}
    assert parts.organisation["organisation"]["words"]["listed"] == 2
    assert parts.departments["Sales/Field"]["new"] == 1
    assert parts.departments["Sales/Desk"]["comments"] == SUPPRESSED
    assert parts.departments["Legal"] == SUPPRESSED
    assert "B" not in repr(parts.organisation) + repr(parts.departments)


def test_each_comment_is_stored_once_under_the_deepest_group_listing_it_in_alphabetical_order():
    parts = report_split(document())

    stored = [(row.path, row.question, row.text) for row in parts.comments]
    assert sorted(stored) == sorted(
        [
            ("Sales/Field", "q1", "B"),
            ("Sales/Field", "q1", "c"),
            ("Sales", "q1", "a"),
            ("Sales", "q1", "B"),
            (ORGANISATION_PATH, "q1", "d"),
            (ORGANISATION_PATH, "q2", "e"),
        ]
    )
    # Alphabetical, whatever the case: an order that says nothing about who wrote what.
    assert [row.text for row in sorted(parts.comments, key=lambda r: r.position)] == [
        "a",
        "B",
        "B",
        "c",
        "d",
        "e",
    ]
    # A group lists the rows under it and under the departments below it.
    lists = group_comments(parts.comments, ["Sales", "Sales/Field"])
    assert lists["Sales"] == {"q1": ["a", "B", "B", "c"]}
    assert lists["Sales/Field"] == {"q1": ["B", "c"]}


def test_comments_of_a_group_whose_parents_are_hidden_are_stored_under_it_alone():
    published = document()
    published["organisation"]["comments"] = SUPPRESSED
    published["departments"]["Sales"]["comments"] = SUPPRESSED

    parts = report_split(copy.deepcopy(published))

    # Only what a shown group lists is stored at all.
    assert sorted(row.text for row in parts.comments) == ["B", "c"]
    assert report_join(parts) == published
