"""The one upload checker: every file a person uploads (portfolio evidence, a message's
attachment) is checked and cleaned here before it is stored.

A file is judged by its content, never by its name or the type the browser claims.  Images are
decoded and re-encoded, which drops metadata (camera, GPS location, software), anything appended
to the file (an HTML/PNG polyglot loses its HTML) and any oddity in the container; the stored
image is one Pillow wrote.  PDFs cannot be re-encoded without a PDF library, so they are checked
for the PDF signature and refused if they carry active content (JavaScript, launch actions,
embedded files) or web-page code.  Both are served with ``nosniff`` and a sandboxing CSP.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from rabta.core.errors import DomainError, invalid

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is a decompression bomb
MAX_EDGE = 2400  # enough to read a drawing on a laptop; phones get the thumbnail
THUMB_EDGE = 480
JPEG_QUALITY = 85
THUMB_QUALITY = 72
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# Many phones write JPEGs that Pillow reads as MPO (a JPEG with extra frames): the same file type.
SAME_TYPE = {"MPO": "JPEG"}
ACCEPTED = (*IMAGE_FORMATS, ".pdf")
# Active content a PDF reader would run or open.
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)\b"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_WEB_CODE = re.compile(rb"<\s*(script|html|iframe|svg|body|object|embed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CleanFile:
    kind: str  # "image" or "pdf"
    content: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def _refuse(message: str) -> DomainError:
    return invalid("file", message)


def display_name(name: str) -> str:
    """The uploaded name reduced to a harmless label: no folders, no control characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in "<>\"'`")
    return base.strip(". ")[:120]


def file_clean(*, name: str, data: bytes) -> CleanFile:
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is larger than %(mb)d MB. Export a smaller version and try again.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    extension = PurePosixPath(display_name(name).lower()).suffix
    if extension not in ACCEPTED:
        raise _refuse(_("Upload a JPEG, PNG or WebP image, or a PDF."))
    if extension == ".pdf":
        return _pdf_clean(data)
    return _image_clean(data, IMAGE_FORMATS[extension])


def _pdf_clean(data: bytes) -> CleanFile:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _refuse(_("This file is named .pdf but is not a complete PDF."))
    # PDF names may spell characters as #xx ("/J#61vaScript" is "/JavaScript"): read them plainly.
    names = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if _PDF_ACTIVE.search(names):
        raise _refuse(
            _("This PDF contains scripts, attachments or actions. Print it to a new PDF first.")
        )
    if _WEB_CODE.search(data):
        raise _refuse(_("This PDF contains web-page code. Print it to a new PDF first."))
    return CleanFile(kind="pdf", content=data, content_type="application/pdf", extension=".pdf")


def _image_clean(data: bytes, expected: str) -> CleanFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            actual = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(_("The image is too large in pixels. Resize it and try again."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("The image is too large in pixels. Resize it and try again.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(_("This file is not an image we can read.")) from None
    if SAME_TYPE.get(actual or "", actual) != expected:
        raise _refuse(
            _("The file's name says %(expected)s but its content is %(actual)s.")
            % {"expected": expected, "actual": actual or _("something else")}
        )
    try:
        return _image_encode(image)
    except (OSError, ValueError, SyntaxError):
        raise _refuse(_("This file is not an image we can read.")) from None


def _image_encode(image: Image.Image) -> CleanFile:
    image = ImageOps.exif_transpose(image) or image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}  # nothing from the original container is written back
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", ".png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type, extension = "image/jpeg", ".jpg"
    thumb = image.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    if has_alpha:
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=THUMB_QUALITY, optimize=True, progressive=True)
    return CleanFile(
        kind="image",
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        thumbnail=thumb_out.getvalue(),
    )
