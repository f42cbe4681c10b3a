"""Read a spreadsheet (.csv or .xlsx) into sheets of rows, bounded and without evaluating anything.

CSV comes as UTF-8 (with or without BOM) or as Excel's Windows-1252, with `,`, `;` or tab
between cells. A workbook's sheets are read with openpyxl in read-only mode; a formula is
read as the text of the formula (it is never evaluated), and the archive's unpacked size is
checked before anything is parsed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from atlas.errors import Problem

MAX_FILE = 64 * 1024 * 1024  # bytes: a list of 10,000 offers with long texts is a tenth of it
MAX_UNPACKED = 256 * 1024 * 1024  # bytes inside an .xlsx (a zip): more is a zip bomb, not a list
MAX_CELL = 100_000  # characters: the longest field, the body, allows 20,000
MAX_ROWS = 100_000

Cell = str | int | float | date | time | None


@dataclass(frozen=True)
class Sheet:
    name: str  # the workbook's sheet name; "" for a CSV file
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (row number as the spreadsheet shows it, cells)


def read_table(file: Path, shown: str) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of `file`; problems are reported at `shown` (the file as the user named it)."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        return [], [Problem(shown, 1, f"cannot be read: {exc.strerror}")]
    if size > MAX_FILE:
        return [], [Problem(shown, 1, f"the file is {size / 2**20:.0f} MB; at most {MAX_FILE // 2**20} MB "
                                      "can be imported at once (split the list)")]
    if file.suffix.lower() == ".xlsx":
        return _xlsx(file, shown)
    if file.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return [], [Problem(shown, 1, f"a {file.suffix or 'file without an ending'} cannot be imported; save the "
                                      "list as .xlsx or .csv (or import an HSDS services.json)")]
    return _csv(file.read_bytes(), shown)


# -- CSV -----------------------------------------------------------------------------------------

def _csv(data: bytes, shown: str) -> tuple[list[Sheet], list[Problem]]:
    text = _decode(data)
    if text is None:
        return [], [Problem(shown, 1, "the file is neither UTF-8 nor Windows-1252; save it as "
                                      "\"CSV UTF-8\" and import it again")]
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    # csv's own limit (131,072 characters unless changed) stops a huge cell while it is read;
    # MAX_CELL is checked below, without changing that process-wide setting
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, 1):
            if number > MAX_ROWS + 1:
                return [], [Problem(shown, number, f"more than {MAX_ROWS:,} rows; split the list")]
            if any(len(cell) > MAX_CELL for cell in cells):
                raise csv.Error("field larger than field limit")
            rows.append((number, tuple(cells)))
    except csv.Error as exc:
        what = (f"a cell holds more than {MAX_CELL:,} characters" if "field larger" in str(exc)
                else f"cannot be read as CSV ({exc})")
        return [], [Problem(shown, number + 1, f"{what}; nothing was imported")]
    return _sheet("", rows, shown)


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# -- XLSX ----------------------------------------------------------------------------------------

def _xlsx(file: Path, shown: str) -> tuple[list[Sheet], list[Problem]]:
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return [], [Problem(shown, 1, "is not an .xlsx workbook (save it from Excel or LibreOffice as .xlsx)")]
    if unpacked > MAX_UNPACKED:
        return [], [Problem(shown, 1, f"the workbook unpacks to {unpacked / 2**20:.0f} MB; at most "
                                      f"{MAX_UNPACKED // 2**20} MB can be imported")]
    import openpyxl  # only here: CSV imports need not load it

    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 (a damaged workbook fails in many ways inside openpyxl)
        return [], [Problem(shown, 1, f"the workbook cannot be read ({type(exc).__name__}); "
                                      "open it in Excel or LibreOffice and save it again")]
    sheets, problems = [], []
    try:
        for ws in book.worksheets:
            rows = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), 1):
                if number > MAX_ROWS + 1:
                    problems.append(Problem(shown, number, f"more than {MAX_ROWS:,} rows; split the list"))
                    break
                values = tuple(_value(c) for c in cells)
                if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                    problems.append(Problem(shown, number, f"a cell holds more than {MAX_CELL:,} characters"))
                    continue
                rows.append((number, values))
            found, trouble = _sheet(ws.title, rows, shown)
            sheets += found
            problems += trouble
    finally:
        book.close()
    return sheets, problems


def _value(cell: Any) -> Cell:
    """A cell as text, number, date or time; a formula stays the text "=…"; booleans become ja/nein."""
    if isinstance(cell, bool):
        return "ja" if cell else "nein"
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == time() else cell.time() if cell.date() <= date(1900, 1, 1) else cell.date()
    if cell is None or isinstance(cell, (str, int, float, date, time)):
        return cell
    return str(cell)


def _sheet(name: str, rows: list[tuple[int, tuple[Cell, ...]]], shown: str) -> tuple[list[Sheet], list[Problem]]:
    filled = [(n, cells) for n, cells in rows if any(not blank(c) for c in cells)]
    if not filled:
        return [], []
    (_, head), body = filled[0], filled[1:]
    header = tuple("" if blank(c) else str(c).strip() for c in head)
    return [Sheet(name, header, tuple(body))], []


def blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
