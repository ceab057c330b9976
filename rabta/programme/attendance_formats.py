"""Readers for webinar attendance reports, as the vendors export them.

* Zoom: Reports → Usage → Meeting → Participants → "Export" (CSV, UTF-8).  With "Export with
  meeting data" ticked, a meeting header block comes first, then a blank line, then the
  participant table.  Columns: ``Name (original name)``, ``Email``, ``Join time``, ``Leave
  time``, ``Duration (minutes)``, ``Guest``, ... (Zoom has used "User Email" and title case
  in older exports; both are read).  Times are ``MM/DD/YYYY hh:mm:ss AM``.  A participant who
  drops and rejoins appears once per stay.
* Microsoft Teams: the meeting's Attendance report → Download (CSV, UTF-16, tab-separated) in
  sections: ``1. Summary``, ``2. Participants`` (first join, last leave, total duration) and
  ``3. In-Meeting Activities`` (one row per join/leave).  Times look like ``4/13/26, 7:01:03
  PM``; durations like ``1h 57m 3s``.

Both readers return, for each email, the list of (join, leave) intervals.  Nothing here touches
the database: the attendance service matches emails to participants.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

ZOOM_TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S")
TEAMS_TIME_FORMATS = (
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%d/%m/%Y, %H:%M:%S",
    "%d/%m/%Y, %I:%M:%S %p",
    "%m/%d/%y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)
MAX_ROWS = 20_000


@dataclass
class Report:
    source: str
    intervals: dict[str, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    # Rows without an email (guests, dial-in callers) cannot be matched to a participant;
    # they are reported, not treated as errors.
    without_email: list[int] = field(default_factory=list)


class ReportError(ValueError):
    pass


def _parse_time(raw: str, formats: tuple[str, ...], tz: tzinfo) -> datetime | None:
    text = raw.strip().replace("\u202f", " ")
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def _decode(content: bytes) -> str:
    try:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            return content.decode("utf-16")
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError("The file is not UTF-8 or UTF-16 text: export it again as CSV.") from exc


def detect(content: bytes) -> str:
    text = _decode(content)
    if re.search(r"^\s*\d\.\s*(Summary|Participants)", text, re.MULTILINE) or "\t" in text[:2000]:
        return "teams"
    return "zoom"


def _add(report: Report, email: str, join: datetime, leave: datetime, line: int) -> None:
    if leave < join:
        report.errors.append(f"Line {line}: leave time is before join time")
        return
    report.intervals.setdefault(email.strip().lower(), []).append((join, leave))


def _row(
    report: Report,
    line: int,
    cells: list[str],
    columns: tuple[int, int, int],
    formats: tuple[str, ...],
    tz: tzinfo,
) -> None:
    """Add one participant row (email, join, leave at ``columns``) to the report."""
    email_col, join_col, leave_col = columns
    try:
        email = cells[email_col].strip()
        join = _parse_time(cells[join_col], formats, tz)
        leave = _parse_time(cells[leave_col], formats, tz)
    except IndexError:
        report.errors.append(f"Line {line}: too few columns")
        return
    if not email or "@" not in email:
        report.without_email.append(line)
    elif join is None or leave is None:
        report.errors.append(f"Line {line}: join or leave time not understood")
    else:
        _add(report, email, join, leave, line)


def _counted(report: Report) -> None:
    report.rows += 1
    if report.rows > MAX_ROWS:
        raise ReportError(f"More than {MAX_ROWS} rows: split the report.")


def _zoom_table_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        lowered = line.lower()
        if "join time" in lowered and "leave time" in lowered and "email" in lowered:
            return index
    raise ReportError(
        "No participant table found: the header must name Email, Join time "
        "and Leave time (Zoom: Reports → Usage → Participants → Export)."
    )


def _zoom_columns(header: list[str], start: int) -> tuple[int, int, int]:
    """(email, join, leave) columns; "User Email" wins over a plain "Email"."""

    def first(prefix: str) -> int | None:
        return next((i for i, h in enumerate(header) if h.startswith(prefix)), None)

    email, plain_email = first("user email"), first("email")
    email = email if email is not None else plain_email
    join, leave = first("join time"), first("leave time")
    if email is None or join is None or leave is None:
        raise ReportError(
            f"Line {start + 1}: the columns Email, Join time and Leave time were not all found."
        )
    return email, join, leave


def read_zoom(content: bytes, tz: tzinfo) -> Report:
    report = Report("zoom")
    lines = _decode(content).splitlines()
    start = _zoom_table_start(lines)
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = [cell.strip().lower() for cell in next(reader)]
    columns = _zoom_columns(header, start)
    for offset, cells in enumerate(reader, start=start + 2):
        if not any(cell.strip() for cell in cells):
            continue
        _counted(report)
        _row(report, offset, cells, columns, ZOOM_TIME_FORMATS, tz)
    return report


def _teams_section_start(lines: list[str]) -> int:
    """The line of the section to read: the join/leave activities, else the participants."""
    sections: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = re.match(r"^\s*\d\.\s*(.+?)\s*$", line.split("\t")[0])
        if match:
            sections[match.group(1).lower()] = index
    start = sections.get("in-meeting activities", sections.get("participants"))
    if start is None:
        raise ReportError(
            "No participant section found: download the attendance report from "
            "the meeting's Attendance tab (CSV)."
        )
    return start


def _teams_header_index(lines: list[str], start: int) -> int:
    header_index = start + 1
    while header_index < len(lines) and not lines[header_index].strip():
        header_index += 1
    if header_index >= len(lines):
        raise ReportError(f"Line {start + 1}: the section has no table.")
    return header_index


def _teams_columns(header: list[str], header_index: int) -> tuple[int, int, int]:
    def column(*names: str) -> int | None:
        return next((i for i, h in enumerate(header) if h in names), None)

    email = column("email", "participant id (upn)")
    join = column("join time", "first join")
    leave = column("leave time", "last leave")
    if email is None or join is None or leave is None:
        raise ReportError(
            f"Line {header_index + 1}: the columns Email, Join time and Leave time were not found."
        )
    return email, join, leave


def read_teams(content: bytes, tz: tzinfo) -> Report:
    report = Report("teams")
    lines = _decode(content).splitlines()
    header_index = _teams_header_index(lines, _teams_section_start(lines))
    header = [cell.strip().lower() for cell in lines[header_index].split("\t")]
    columns = _teams_columns(header, header_index)
    for index in range(header_index + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if re.match(r"^\s*\d\.\s", line):
            break  # the next section
        _counted(report)
        _row(report, index + 1, line.split("\t"), columns, TEAMS_TIME_FORMATS, tz)
    return report


def minutes_within(
    intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime
) -> int:
    """Minutes covered by the union of ``intervals`` inside [start, end]: a person on two
    devices at once is not counted twice."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if b > start and a < end)
    merged: list[tuple[datetime, datetime]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    total = sum((b - a).total_seconds() for a, b in merged)
    return int(total // 60)


def read(kind: str, content: bytes, tz: tzinfo) -> Report:
    """Read a report of ``kind`` ("zoom" or "teams"); every failure is a ReportError."""
    reader = read_teams if kind == "teams" else read_zoom
    try:
        return reader(content, tz)
    except ReportError:
        raise
    except (csv.Error, IndexError, TypeError, ValueError) as exc:
        raise ReportError(f"The file could not be read as a {kind} report: {exc}") from exc
