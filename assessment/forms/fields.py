"""Form fields the site's forms share."""

from typing import Any

from django import forms

from assessment.free_text import cleaned


class FreeTextField(forms.CharField):
    """Text someone types that ends up in the downloads (a name, a purpose, a commitment),
    cleaned (assessment/free_text.py) before it is checked: what is pasted from another
    program may hold characters no file can."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(cleaned(value) if isinstance(value, str) else value)
