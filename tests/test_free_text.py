"""Free text cleaned for every place it goes: each character the formats refuse is gone,
every line break is a line feed, and everything else stays as written. Checked against
the formats themselves (openpyxl and XML, PostgreSQL, UTF-8, Python's CSV reader), not
against a list copied from the code."""

import csv
import io
import sys
import unicodedata

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from assessment.free_text import cleaned, cleaned_json

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
# A cell of a spreadsheet holds at most 32,767 characters.
CELL = 32_000


def test_controls_are_removed_line_breaks_become_line_feeds_and_the_rest_is_kept():
    typed = "Slow\x01 replies\x1b[0m\x7f to\x85our\u2028customers\x9f\ufffe\r\nagain\rand\x0bagain"

    assert cleaned(typed) == "Slow replies[0m to\nour\ncustomers\nagain\nand\nagain"
    kept = "Tab\tand line\nfeed, café, 日本語, עברית, emoji 👍🏽, zero\u200dwidth joiner"
    assert cleaned(kept) == kept


def test_no_c0_c1_or_del_survives_but_tab_and_line_feed():
    left = {c for c in cleaned(EVERY_CHARACTER) if unicodedata.category(c) == "Cc"}

    assert left == {"\t", "\n"}


def test_what_is_cleaned_is_written_and_read_back_by_openpyxl_as_written():
    text = cleaned(EVERY_CHARACTER)
    book = Workbook()
    for start in range(0, len(text), CELL):
        book.active.append([text[start : start + CELL]])
    stream = io.BytesIO()
    book.save(stream)

    read = "".join(row[0] for row in load_workbook(stream).active.iter_rows(values_only=True))

    assert read == text


def test_what_is_cleaned_is_stored_by_postgresql_as_text_and_in_json(db):
    text = cleaned(EVERY_CHARACTER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text, jsonb_build_array(%s::text)->>0", [text, text])
        assert cursor.fetchone() == (text, text)


def test_what_is_cleaned_is_utf_8_and_read_back_whole_by_a_csv_reader():
    text = cleaned(EVERY_CHARACTER)
    cells = [text[start : start + CELL] for start in range(0, len(text), CELL)]
    stream = io.StringIO()
    csv.writer(stream).writerow(cells)

    stored = stream.getvalue().encode("utf-8").decode("utf-8")

    assert list(csv.reader(io.StringIO(stored, newline=""))) == [cells]


@pytest.mark.parametrize("refused", ["\x00", "\x01", "\x1f", "\ud800", "\ufffe", "\uffff"])
def test_each_character_a_format_refuses_is_removed(refused):
    assert cleaned(f"a{refused}b") == "ab"


def test_every_string_of_a_json_value_is_cleaned_keys_too_and_numbers_stay():
    value = {"Sales\x01": [{"text": "Hi\x7f there\r\n", "n": 3, "shown": True, "x": None}]}

    assert cleaned_json(value) == {
        "Sales": [{"text": "Hi there\n", "n": 3, "shown": True, "x": None}]
    }
