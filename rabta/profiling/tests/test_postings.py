import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core.errors import DomainError
from rabta.core.models import AuditLog
from rabta.profiling import selectors
from rabta.profiling.models import Posting, PostingImport
from rabta.profiling.services import postings

pytestmark = pytest.mark.django_db

CSV = (
    "title,description,budget,date,source\n"
    'AutoCAD drafting of a house,"Convert PDF plans to DWG, 3 floors",150,2026-10-02,upwork\n'
    "Solar PV design for a factory,PVsyst report and SLD,$1200,2026-10-05,freelancer\n"
    "Solar PV design for a factory,PVsyst report and SLD,$1200,2026-10-05,freelancer\n"
)


@pytest.fixture
def staff(client):
    return login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))


def upload(client, name, content):
    return client.post(
        reverse("profiling:postings"),
        {
            "file": SimpleUploadedFile(
                name, content.encode() if isinstance(content, str) else content
            )
        },
    )


def test_staff_import_csv_and_duplicates_are_counted_not_stored(client, staff):
    response = upload(client, "postings.csv", CSV)
    assert response.status_code == 302
    batch = PostingImport.objects.get()
    assert (batch.rows, batch.created, batch.duplicates) == (3, 2, 1)
    assert Posting.objects.get(title__startswith="Solar").budget_usd == 1200
    upload(client, "again.csv", CSV)
    assert Posting.objects.count() == 2
    assert PostingImport.objects.first().duplicates == 3
    assert AuditLog.objects.filter(action="postings.import", actor=staff).count() == 2


def test_json_lines_and_json_arrays_are_accepted(client, staff):
    rows = [
        {
            "title": "PLC ladder logic",
            "description": "Siemens TIA Portal",
            "date": "2026-09-01",
            "source": "upwork",
            "budget": 300,
        },
        {
            "title": "HVAC load calc",
            "description": "HAP for an office",
            "date": "2026-09-03",
            "source": "fiverr",
        },
    ]
    upload(client, "a.jsonl", "\n".join(json.dumps(r) for r in rows))
    upload(client, "b.json", json.dumps([{**r, "source": "other"} for r in rows]))
    assert Posting.objects.count() == 4


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_imported(client, staff):
    bad = (
        "title,description,budget,date,source\n"
        "Good one,fine,10,2026-10-01,upwork\n"
        ",missing title,10,2026-10-01,upwork\n"
        "Bad date,desc,10,01/10/2026,upwork\n"
        "Bad budget,desc,lots,2026-10-01,upwork\n"
        "Future,desc,10,2999-01-01,upwork\n"
    )
    response = upload(client, "bad.csv", bad)
    body = response.content.decode()
    assert response.status_code == 200
    for line in (3, 4, 5, 6):
        assert f"Line {line}:" in body
    assert "Line 2:" not in body
    assert Posting.objects.count() == 0
    assert PostingImport.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "not"),
        ("p.csv", "title,description\nx,y\n", "header lacks"),
        ("p.json", "[{broken", "malformed"),
        ("p.jsonl", '"just a string"\n', "not a JSON object"),
        ("p.csv", "title,description,budget,date,source\n", "no postings"),
    ],
)
def test_malformed_files_get_a_clear_error(client, staff, name, content, message):
    response = upload(client, name, content)
    assert message in response.content.decode()
    assert Posting.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_read(client, staff, monkeypatch):
    monkeypatch.setattr(postings, "MAX_FILE_BYTES", 100)
    response = upload(client, "big.csv", CSV)
    assert "larger than" in response.content.decode()
    assert Posting.objects.count() == 0
    with pytest.raises(DomainError):
        postings.postings_import(actor=None, name="big.csv", raw=CSV.encode())


def test_hostile_titles_are_shown_inert(client, staff):
    hostile = (
        "title,description,budget,date,source\n"
        '<script>alert(1)</script>,"<img src=x onerror=alert(1)>",,2026-10-01,upwork\n'
    )
    upload(client, "x.csv", hostile)
    Posting.objects.update(pathway="cad-drafting-3d-modelling")
    body = client.get(reverse("profiling:postings")).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize(
    "role", [Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST]
)
def test_only_programme_staff_import_postings(client, role):
    login_with_second_factor(client, user_with_role(role))
    assert client.get(reverse("profiling:postings")).status_code == 403
    assert upload(client, "p.csv", CSV).status_code == 403
    assert Posting.objects.count() == 0


def test_imported_postings_are_classified_and_feed_demand(client, staff):
    upload(client, "postings.csv", CSV)
    assert postings.postings_classify() == 2
    solar = Posting.objects.get(title__startswith="Solar")
    assert solar.pathway == "solar-pv-renewable-design"
    assert solar.occupations[0]["code"]
    assert solar.occupations[0]["uri"].startswith("http://data.europa.eu/esco/occupation/")
    cad = Posting.objects.get(title__startswith="AutoCAD")
    assert cad.pathway == "cad-drafting-3d-modelling"
    assert postings.postings_classify() == 0  # resumable: nothing left to do
    months = selectors.demand_by_month(months=24)
    assert {row["pathway"] for row in months} == {
        "solar-pv-renewable-design",
        "cad-drafting-3d-modelling",
    }
