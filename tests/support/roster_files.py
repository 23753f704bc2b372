"""Roster files as a facilitator would upload them, built in memory."""

import csv
import io

import openpyxl

HEADER = ("name", "email", "department", "level")


def csv_text(*rows, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_file(*rows, header=HEADER, encoding: str = "utf-8") -> bytes:
    return csv_text(*rows, header=header).encode(encoding)


def xlsx_file(*rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
