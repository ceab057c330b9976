import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from rabta.core.errors import DomainError
from rabta.portfolio import services
from rabta.portfolio.models import Attachment, Visibility
from rabta.portfolio.tests.conftest import (
    MINIMAL_PDF,
    image_bytes,
    jpeg_with_location,
    profiled_engineer,
)
from rabta.portfolio.uploads import (
    MAX_ATTACHMENTS_PER_ITEM,
    MAX_UPLOAD_BYTES,
    display_name,
    file_clean,
)

pytestmark = pytest.mark.django_db


def refused(name: str, data: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        file_clean(name=name, data=data)
    return str(caught.value)


def test_a_photo_is_re_encoded_without_camera_or_location_data_and_gets_a_thumbnail():
    original = jpeg_with_location()
    assert b"CanonSecretMake" in original
    clean = file_clean(name="site.jpg", data=original)
    assert clean.kind == "image"
    assert clean.content_type == "image/jpeg"
    assert b"CanonSecretMake" not in clean.content
    stored = Image.open(io.BytesIO(clean.content))
    assert dict(stored.getexif()) == {}
    assert Image.open(io.BytesIO(clean.thumbnail or b"")).format == "JPEG"


def test_a_transparent_png_stays_a_png_and_large_images_are_scaled_down():
    clean = file_clean(name="render.PNG", data=image_bytes("PNG", size=(3000, 1000), mode="RGBA"))
    assert clean.content_type == "image/png"
    assert (clean.width, clean.height) == (2400, 800)


def test_an_html_png_polyglot_loses_its_html():
    polyglot = image_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    clean = file_clean(name="drawing.png", data=polyglot)
    assert b"<script" not in clean.content
    assert b"<html" not in clean.content


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        (
            "drawing.png",
            image_bytes("JPEG"),
            "content is JPEG",
        ),  # wrong type under a good extension
        ("drawing.jpg", image_bytes("GIF"), "content is GIF"),
        ("drawing.jpg", b"<html><script>alert(1)</script></html>", "not an image"),
        (
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not an image",
        ),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "JPEG, PNG or WebP",
        ),
        ("page.html", b"<html></html>", "JPEG, PNG or WebP"),
        ("report.pdf", image_bytes("PNG"), "not a complete PDF"),
        (
            "report.pdf",
            MINIMAL_PDF.replace(
                b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
            ),
            "scripts",
        ),
        (
            "report.pdf",
            MINIMAL_PDF.replace(b"trailer", b"<script>alert(1)</script>\ntrailer"),
            "web-page code",
        ),
        ("empty.jpg", b"", "empty"),
        ("drawing.jpg", image_bytes("JPEG")[:40], "not an image"),  # truncated
    ],
)
def test_files_are_judged_by_content_not_by_name(name, data, says):
    assert says in refused(name, data)


def test_oversized_files_and_decompression_bombs_are_refused():
    assert "larger than" in refused("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))
    bomb = image_bytes("PNG", size=(8000, 6000), mode="RGB", optimize=True)
    assert len(bomb) < MAX_UPLOAD_BYTES
    assert "too large in pixels" in refused("bomb.png", bomb)


def test_a_plain_pdf_is_accepted_as_is():
    clean = file_clean(name="calc.pdf", data=MINIMAL_PDF)
    assert (clean.kind, clean.content_type, clean.content) == (
        "pdf",
        "application/pdf",
        MINIMAL_PDF,
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\win.ini.png", "win.ini.png"),
        ("/var/www/<script>x.jpg", "scriptx.jpg"),
        ("..", ""),
    ],
)
def test_path_tricks_in_file_names_are_reduced_to_a_harmless_label(name, label):
    assert display_name(name) == label


def upload(client, item_id, name, data, **extra):
    return client.post(
        reverse("portfolio:item_edit", args=[item_id]),
        {"action": "upload", "file": SimpleUploadedFile(name, data), **extra},
    )


def test_an_upload_is_stored_under_a_random_name_and_served_only_through_the_checked_view(
    client, engineer
):
    item = services.item_save(user=engineer, title="Mill survey", visibility=Visibility.PRIVATE)
    response = upload(client, item.pk, "../../evil name.jpg", jpeg_with_location(), label="")
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert attachment.file.startswith("portfolio/")
    assert "evil" not in attachment.file
    assert ".." not in attachment.file
    assert attachment.label == ""  # the uploaded name is never kept as a label
    assert default_storage.exists(attachment.file)
    assert default_storage.exists(attachment.thumbnail)
    served = client.get(reverse("portfolio:file", args=[attachment.token]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"CanonSecretMake" not in b"".join(served.streaming_content)


def test_a_refused_upload_says_why_and_stores_nothing(client, engineer):
    item = services.item_save(user=engineer, title="Mill survey")
    response = upload(client, item.pk, "plan.png", b"<svg onload=alert(1)>")
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_an_item_holds_a_limited_number_of_files(engineer):
    item = services.item_save(user=engineer, title="Mill survey")
    for _ in range(MAX_ATTACHMENTS_PER_ITEM):
        services.attachment_add(user=engineer, item_id=item.pk, name="a.jpg", data=image_bytes())
    with pytest.raises(DomainError):
        services.attachment_add(user=engineer, item_id=item.pk, name="a.jpg", data=image_bytes())
    assert item.attachments.count() == MAX_ATTACHMENTS_PER_ITEM


def test_someone_elses_item_and_file_by_id_are_not_found_and_untouched(client, engineer):
    other = profiled_engineer()
    their_item = services.item_save(
        user=other, title="Their private work", visibility=Visibility.PRIVATE
    )
    theirs = services.attachment_add(
        user=other, item_id=their_item.pk, name="x.jpg", data=image_bytes()
    )
    assert upload(client, their_item.pk, "a.jpg", image_bytes()).status_code == 404
    assert client.get(reverse("portfolio:file", args=[theirs.token])).status_code == 404
    assert (
        client.get(reverse("portfolio:file_variant", args=[theirs.token, "thumb"])).status_code
        == 404
    )
    mine = services.item_save(user=engineer, title="Mine")
    client.post(
        reverse("portfolio:item_edit", args=[mine.pk]),
        {"action": "delete_file", "token": theirs.token},
    )
    client.post(reverse("portfolio:item_edit", args=[their_item.pk]), {"action": "delete"})
    assert Attachment.objects.filter(pk=theirs.pk).exists()
    assert their_item.attachments.count() == 1


def test_an_oversized_upload_is_refused_before_it_is_read(client, engineer):
    item = services.item_save(user=engineer, title="Mill survey")
    response = upload(client, item.pk, "huge.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 200
    assert "larger than 8 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_phone_jpeg_read_as_mpo_is_accepted():
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    assert file_clean(name="IMG_0001.JPG", data=out.getvalue()).content_type == "image/jpeg"


def test_a_pdf_that_spells_javascript_with_name_escapes_is_refused():
    hidden = MINIMAL_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript>>")
    assert "scripts" in refused("report.pdf", hidden)


def test_files_leave_storage_with_their_rows_including_when_the_account_is_deleted(
    engineer, django_capture_on_commit_callbacks
):
    item = services.item_save(user=engineer, title="Mill survey")
    kept = services.attachment_add(user=engineer, item_id=item.pk, name="a.jpg", data=image_bytes())
    gone = services.attachment_add(user=engineer, item_id=item.pk, name="b.jpg", data=image_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(user=engineer, token=gone.token)
    assert not default_storage.exists(gone.file)
    assert not default_storage.exists(gone.thumbnail)
    assert default_storage.exists(kept.file)
    with django_capture_on_commit_callbacks(execute=True):
        engineer.delete()
    assert not default_storage.exists(kept.file)
    assert not default_storage.exists(kept.thumbnail)


def test_a_pdf_is_served_as_a_download_and_a_missing_file_is_not_found(client, engineer):
    item = services.item_save(user=engineer, title="Calc")
    pdf = services.attachment_add(user=engineer, item_id=item.pk, name="calc.pdf", data=MINIMAL_PDF)
    served = client.get(reverse("portfolio:file", args=[pdf.token]))
    assert served["Content-Disposition"].startswith("attachment;")
    default_storage.delete(pdf.file)
    assert client.get(reverse("portfolio:file", args=[pdf.token])).status_code == 404


def test_the_uploaded_name_never_becomes_a_public_label(client, engineer):
    item = services.item_save(
        user=engineer, title="Tower", client="ClientCo", visibility="redacted"
    )
    services.attachment_add(
        user=engineer, item_id=item.pk, name="ClientCo_Tower.jpg", data=image_bytes(), cleared=True
    )
    services.portfolio_update(user=engineer, published=True)
    slug = engineer.portfolio.slug
    body = client.get(reverse("portfolio_public", args=[slug])).content.decode()
    assert 'alt="Tower"' in body
    assert "ClientCo" not in body
