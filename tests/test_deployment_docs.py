"""docs/deployment.md names every variable the settings read from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_variable_the_settings_read_is_in_the_deployment_document():
    settings = "".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))
    read = set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z_]+)"', settings))
    documented = set(
        re.findall(
            r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "deployment.md").read_text(), re.MULTILINE
        )
    )
    assert len(read) >= 20
    assert sorted(read - documented) == [], "settings read but not in docs/deployment.md"
    assert sorted(documented - read) == [], "documented in docs/deployment.md but not read"
