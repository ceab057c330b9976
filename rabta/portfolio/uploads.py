"""Portfolio evidence goes through the one upload checker, which lives in core
(``rabta.core.uploads``) so that every app checks files the same way; the names portfolio code
imports stay importable from here."""

from rabta.core.uploads import (
    ACCEPTED,
    IMAGE_FORMATS,
    MAX_EDGE,
    MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    THUMB_EDGE,
    CleanFile,
    display_name,
    file_clean,
)

MAX_ATTACHMENTS_PER_ITEM = 8

__all__ = [
    "ACCEPTED",
    "IMAGE_FORMATS",
    "MAX_ATTACHMENTS_PER_ITEM",
    "MAX_EDGE",
    "MAX_PIXELS",
    "MAX_UPLOAD_BYTES",
    "THUMB_EDGE",
    "CleanFile",
    "display_name",
    "file_clean",
]
