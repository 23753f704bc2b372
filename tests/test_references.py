"""Every path a file in the repository names (docs/…, scripts/…, assessment/… and so on) is
a file or folder in the repository, so a newcomer can follow each one."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FOLDERS = ("docs", "scripts", "bench", "tests", "assessment", "config", "templates", ".ci")
SUFFIXES = (".py", ".md", ".html", ".toml", ".yaml", ".yml")
# A path starts at a top folder (not inside a longer word or path, nor a URL) and runs over
# the characters paths here use; `{a,b}` and `*` are the shell's and globs' way of naming
# several files at once.
REFERENCE = re.compile(
    r"(?<![\w./:-])((?:" + "|".join(re.escape(f) for f in TOP_FOLDERS) + r")/[\w.*{},/-]*)"
)


def _scanned_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    paths = [ROOT / name for name in listed]
    return [
        path
        for path in paths
        if path.is_file()
        and "migrations" not in path.parts
        and (
            path.suffix in SUFFIXES
            or path.name == "Makefile"
            or path.parent.name in ("scripts", ".ci")
        )
    ]


def _expansions(reference: str) -> list[str]:
    """`config/settings/{local,test}.py` names two files, each of which must exist;
    `{template}` (no comma) is a name filled in by code, so any file matches it."""
    group = re.search(r"\{([^{}]*)\}", reference)
    if not group:
        return [reference]
    if "," not in group.group(1):
        return _expansions(reference[: group.start()] + "*" + reference[group.end() :])
    return [
        expanded
        for choice in group.group(1).split(",")
        for expanded in _expansions(reference[: group.start()] + choice + reference[group.end() :])
    ]


def _exists(path: str) -> bool:
    # Template names (`assessment/rounds/list.html`) are paths under templates/.
    for base in (ROOT, ROOT / "templates"):
        if "*" in path and any(base.glob(path)):
            return True
        if "*" not in path and (base / path).exists():
            return True
    return False


def _resolves(reference: str) -> bool:
    return all(_exists(path) for path in _expansions(reference.rstrip(".,")))


def test_every_path_the_repository_names_exists():
    unresolved = sorted(
        f"{path.relative_to(ROOT)}:{number}: {reference}"
        for path in _scanned_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        for reference in REFERENCE.findall(line)
        if not _resolves(reference)
    )
    assert not unresolved, "paths named that are not in the repository:\n" + "\n".join(unresolved)
