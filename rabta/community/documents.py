"""Files a panel shares in its workspace.  The type is decided from the bytes, never from the
name or the browser's claim; the uploaded name is cut to safe characters and kept only for the
download."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # an office file that expands past this is a zip bomb
MAX_ENTRIES = 5000

OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OPEN_DOCUMENT = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
TEXT = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv"}
ACCEPTED = (".pdf", *OFFICE, *OPEN_DOCUMENT, *TEXT)


@dataclass(frozen=True)
class CleanDocument:
    filename: str
    extension: str
    content_type: str


def _refuse(message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={"file": [message]})


def filename_clean(name: str) -> str:
    """The last path part, letters, digits, dots, dashes and underscores only, no leading
    dots: ``../../etc/passwd`` becomes ``passwd``, ``C:\\x\\report.pdf`` becomes ``report.pdf``."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = re.sub(r"[^\w.\-]+", "-", base, flags=re.UNICODE).strip(".-_ ")
    return base[-100:] or "document"


def _zip_has(data: bytes, required: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED:
                raise _refuse(_("This file expands to far more than its size; it was refused."))
            return required in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _contents_match(extension: str, data: bytes) -> tuple[bool, str]:
    """Whether the bytes are what the extension says, and the type to serve them as."""
    if extension == ".pdf":
        return data.startswith(b"%PDF-"), "application/pdf"
    if extension in OFFICE:
        ok = data.startswith(b"PK\x03\x04") and _zip_has(data, "[Content_Types].xml")
        return ok, OFFICE[extension]
    if extension in OPEN_DOCUMENT:
        ok = data.startswith(b"PK\x03\x04") and _zip_has(data, "mimetype")
        return ok, OPEN_DOCUMENT[extension]
    try:
        ok = b"\x00" not in data and bool(data.decode("utf-8"))
    except UnicodeDecodeError:
        ok = False
    return ok, TEXT[extension]


def document_clean(*, name: str, data: bytes) -> CleanDocument:
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(_("A file may be at most 10 MB."))
    filename = filename_clean(name)
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if extension not in ACCEPTED:
        raise _refuse(
            _("Share a PDF, a Word, Excel or PowerPoint file, an OpenDocument file, or text.")
        )
    ok, content_type = _contents_match(extension, data)
    if not ok:
        raise _refuse(
            _("The file's contents do not match its type (%(ext)s).") % {"ext": extension}
        )
    return CleanDocument(filename=filename, extension=extension, content_type=content_type)
