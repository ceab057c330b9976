import io
import random

import pytest
from django.utils import timezone
from PIL import Image

from rabta.accounts.tests.factories import EngineerProfileFactory
from rabta.profiling import services as profiling
from rabta.profiling.demo import assessments_create

CAD = "cad-drafting-3d-modelling"


def profiled_engineer(pathway: str = CAD):
    """An engineer with a completed assessment, results and a chosen pathway."""
    user = EngineerProfileFactory(discipline="CIVIL").user
    (assessment,) = assessments_create(random.Random(user.pk), [(user.pk, "CIVIL")], timezone.now())
    profiling.result_compute(assessment)
    profiling.pathway_choose(user=user, slug=pathway)
    return user


@pytest.fixture
def engineer(client):
    user = profiled_engineer()
    client.force_login(user)
    return user


def image_bytes(fmt: str = "JPEG", size=(64, 48), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        out, format=fmt, **save
    )
    return out.getvalue()


def jpeg_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CanonSecretMake"  # camera make
    exif[0x8825] = {1: "N", 2: (33.0, 41.0, 12.5), 3: "E", 4: (73.0, 2.0, 30.0)}  # GPS
    return image_bytes("JPEG", exif=exif)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 "
    b"R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 "
    b"R>>\n%%EOF\n"
)
