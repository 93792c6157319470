"""Call lists per branch: CSV and XLSX, written atomically and reproducibly.

A call list holds only its branch's customers, with full names and phone
numbers (it is for the branch's own managers; the HTML report masks them).
The XLSX bytes are the same on every run: the workbook's creation time is
fixed and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from segkit.fileio import write_bytes
from segkit.report.views import call_list, t

FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _headers(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return frame.rename(columns={column: t(column, language) for column in frame.columns})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Chinese correctly)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
    "docProps/core.xml": (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>segkit</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME.isoformat()}Z</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME.isoformat()}Z</dcterms:modified>'
        "</cp:coreProperties>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _column_letters(n: int) -> list[str]:
    letters = []
    for index in range(1, n + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _text_cell(ref: str, value: object) -> str:
    text = _ILLEGAL_XML.sub("", html.escape(str(value), quote=False))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _column_cells(letter: str, values: pd.Series) -> list[str]:
    """The XML cells of one column (rows 2..n+1); missing values are left out."""
    rows = range(2, len(values) + 2)
    if pd.api.types.is_bool_dtype(values.dtype):
        return [f'<c r="{letter}{row}" t="b"><v>{int(v)}</v></c>' if v is not pd.NA else ""
                for row, v in zip(rows, values.tolist(), strict=True)]
    if pd.api.types.is_integer_dtype(values.dtype):
        return [f'<c r="{letter}{row}"><v>{int(v)}</v></c>' if v is not pd.NA else ""
                for row, v in zip(rows, values.tolist(), strict=True)]
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64").tolist()
        return [f'<c r="{letter}{row}"><v>{v!r}</v></c>' if v == v and abs(v) != float("inf") else ""
                for row, v in zip(rows, numbers, strict=True)]
    present = values.notna().tolist()
    return [_text_cell(f"{letter}{row}", v) if ok else ""
            for row, v, ok in zip(rows, values.astype(object).tolist(), present, strict=True)]


def sheet_xml(frame: pd.DataFrame) -> str:
    """The worksheet XML of ``frame``: a header row, then one row per record (numbers as numbers)."""
    letters = _column_letters(frame.shape[1])
    header = "".join(_text_cell(f"{letter}1", column) for letter, column in zip(letters, frame.columns, strict=True))
    columns = [_column_cells(letter, frame.iloc[:, i]) for i, letter in enumerate(letters)]
    rows = [f'<row r="1">{header}</row>']
    rows += [f'<row r="{number}">{"".join(cells)}</row>' for number, cells in enumerate(zip(*columns), start=2)]
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "calls") -> bytes:
    """An XLSX workbook of ``frame`` (one sheet) whose bytes depend only on its content.

    Written directly (inline strings, no shared-string table, fixed
    timestamps): a branch's call list of thousands of rows takes a few tens
    of milliseconds.
    """
    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{html.escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    parts = {**_XML, "xl/workbook.xml": workbook, "xl/worksheets/sheet1.xml": sheet_xml(frame)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
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
