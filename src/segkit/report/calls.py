"""Call lists per branch: CSV and XLSX, written atomically and reproducibly.

A call list holds only its branch's customers, with full names and phone
numbers (it is for the branch's own managers; the HTML report masks them).
The XLSX bytes are the same on every run: the workbook's creation time is
fixed and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from segkit.fileio import write_bytes
from segkit.report.views import call_list, t

FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _headers(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return frame.rename(columns={column: t(column, language) for column in frame.columns})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Chinese correctly)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "calls") -> bytes:
    """An XLSX workbook of ``frame`` whose bytes depend only on its content."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet_ = book.create_sheet(sheet)
    sheet_.append([str(column) for column in frame.columns])
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None):
        sheet_.append(list(row))
    book.properties.created = FIXED_TIME
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip_times(raw.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.isoformat().encode() + rb"Z\g<2>", data)
            target.writestr(fixed, data)
    return out.getvalue()


def write_call_lists(customers: pd.DataFrame, folder: Path, stem: str, language: str = "zh",
                     tier_names: dict[str, str] | None = None) -> list[Path]:
    """Write ``<stem>-calls.csv`` and ``<stem>-calls.xlsx`` for one branch's customers.

    Returns the two paths. Each file is written atomically.
    """
    frame = _headers(call_list(customers, language, tier_names), language)
    return [
        write_bytes(folder / f"{stem}-calls.csv", csv_bytes(frame)),
        write_bytes(folder / f"{stem}-calls.xlsx", xlsx_bytes(frame)),
    ]
