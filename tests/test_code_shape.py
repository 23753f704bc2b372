"""The code stays readable in an afternoon: no module over 400 lines and no function
over 60, so each module does one job and each function reads on one screen."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ("assessment", "config", "bench", "tests")
MODULE_LINES = 400
FUNCTION_LINES = 60
# Data, not logic: the built-in instruments' questions, word for word.
DATA = {"assessment/builtin_instruments.py"}


def python_files() -> list[Path]:
    return sorted(
        path
        for folder in CODE
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_there_is_code_to_check() -> None:
    assert len(python_files()) > 100


def test_no_module_is_over_400_lines_except_data() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_files()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert set(long) <= DATA, f"modules over {MODULE_LINES} lines: {long}"


def test_no_function_is_over_60_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)"
        for path in python_files()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (lines := node.end_lineno - node.lineno + 1) > FUNCTION_LINES
    ]
    assert not long, "functions over 60 lines:\n" + "\n".join(long)
