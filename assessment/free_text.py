"""What people type, made safe for every place it goes: PostgreSQL, the spreadsheet, the
PDF, the JSON and a CSV reader.

Each of them refuses some characters, and a refused character in one comment would fail
the whole file for everyone (and the error names the text):
- PostgreSQL refuses NUL in text and in JSON (`\\u0000`);
- openpyxl refuses C0 controls other than tab, line feed and carriage return;
- XML 1.0 (an .xlsx is XML) has no U+FFFE or U+FFFF: a workbook holding one does not open;
- an unpaired surrogate cannot be written as UTF-8 at all, so neither a JSON file nor a
  PDF (WeasyPrint) can hold it;
- CSV readers stop at NUL; the C1 controls and DEL have no glyph in any font, so a PDF
  shows a box for them.

`cleaned` is applied where text is stored and again where it is written to a file, so that
text stored before it existed downloads too.
"""

import re
from typing import Any

# Every kind of line break becomes a plain line feed: a carriage return (with or without
# its line feed, as Windows and old Macs write them), a vertical tab (Word's manual line
# break), a form feed, NEL (U+0085) and Unicode's line and paragraph separators.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# The rest of C0 but tab and line feed, DEL, the rest of C1, surrogates, U+FFFE and U+FFFF.
REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def cleaned(text: str) -> str:
    """The text with every line break a plain line feed and every character some format
    refuses removed; everything else (tabs, accents, emoji, any script) kept as written."""
    return REMOVED.sub("", LINE_BREAKS.sub("\n", text))


def cleaned_json(value: Any) -> Any:
    """A JSON value (a draft page, a report) with every string in it cleaned, keys too."""
    if isinstance(value, str):
        return cleaned(value)
    if isinstance(value, dict):
        return {cleaned_json(key): cleaned_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned_json(item) for item in value]
    return value


# A text cell starting with one of these is run as a formula by the spreadsheet that opens
# it: =, + and - start a formula, @ a function call, and a tab or a line break can hide one
# behind it. The roster import refuses such a value; the spreadsheet export neutralises it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
