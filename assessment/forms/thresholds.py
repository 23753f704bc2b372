"""The one validation of a pair of thresholds (assessment/anonymity/thresholds.py), put on
a form's fields."""

from typing import Any

from django import forms

from assessment.anonymity.thresholds import threshold_errors


def thresholds_check(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """Add to `form` what is wrong with its `threshold` and `comment_threshold`."""
    for field, message in threshold_errors(
        data.get("threshold"), data.get("comment_threshold")
    ).items():
        if field not in form.errors:
            form.add_error(field, message)
