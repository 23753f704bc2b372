"""htmx attributes are written `data-hx-*`: htmx reads both, and the HTML checker accepts
only the `data-` form. A bare `hx-*` attribute anywhere in the templates (or in a form
widget's attributes) fails here, with its file and line."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An attribute name starting "hx-" that is not the tail of a longer name ("data-hx-…").
BARE_HX = re.compile(r"(?<![\w-])hx-[a-z]")


def _offenders(paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_HX.search(line)
    ]


def test_the_check_tells_a_bare_attribute_from_a_data_one() -> None:
    assert BARE_HX.search('<div hx-get="/x">')
    assert BARE_HX.search('attrs={"hx-post": "/x"}')
    assert not BARE_HX.search('<div data-hx-get="/x" data-hx-trigger="every 1s">')
    assert not BARE_HX.search('response["HX-Refresh"] = "true"; <meta name="htmx-config">')


def test_no_template_has_an_hx_attribute_without_the_data_prefix() -> None:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert templates
    assert _offenders(templates) == []


def test_no_form_widget_has_an_hx_attribute_without_the_data_prefix() -> None:
    assert _offenders(sorted((ROOT / "assessment").rglob("*.py"))) == []
