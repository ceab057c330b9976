import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core import jobs
from rabta.core.errors import DomainError
from rabta.core.models import AuditLog, Job
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


def post(client, name, content):
    return client.post(
        reverse("profiling:postings"),
        {
            "file": SimpleUploadedFile(
                name, content.encode() if isinstance(content, str) else content
            )
        },
    )


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file, let its import job run (inline, as the commit sends it), then read the
    page: the response of the page the redirect leads to."""

    def send(name, content):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, name, content)
        assert response.status_code == 302
        return client.get(response["Location"])

    return send


def import_job():
    return Job.objects.get(name="rabta.profiling.tasks.postings_import_task")


def kept():
    """The uploads kept for jobs (the storage outlives a test: compare before and after)."""
    if not default_storage.exists("jobs/uploads"):
        return set()
    return {f"jobs/uploads/{name}" for name in default_storage.listdir("jobs/uploads")[1]}


def test_staff_import_csv_and_duplicates_are_counted_not_stored(client, staff, upload):
    body = upload("postings.csv", CSV).content.decode()
    assert "3 lines: 2 new postings, 1 already known; 2 classified." in body
    batch = PostingImport.objects.get()
    assert (batch.rows, batch.created, batch.duplicates) == (3, 2, 1)
    assert Posting.objects.get(title__startswith="Solar").budget_usd == 1200
    job = import_job()
    assert (job.state, job.started_by) == ("succeeded", staff)
    assert job.result == {
        "import_id": batch.pk,
        "rows": 3,
        "created": 2,
        "duplicates": 1,
        "classified": 2,
    }
    assert not default_storage.exists(job.args[0])  # the kept upload is gone once read
    upload("again.csv", CSV)
    assert Posting.objects.count() == 2
    assert PostingImport.objects.first().duplicates == 3
    assert AuditLog.objects.filter(action="postings.import", actor=staff).count() == 2


def test_the_request_only_keeps_the_file_and_answers_at_once(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = post(client, "postings.csv", CSV)
    assert response.status_code == 302
    assert response["Location"] == reverse("profiling:postings")
    assert Posting.objects.count() == 0
    assert PostingImport.objects.count() == 0
    job = import_job()
    assert job.state == "queued"
    assert job.args[1:] == ["postings.csv", staff.pk]
    assert default_storage.exists(job.args[0])
    assert len(sent) == 1  # the job is sent once the request's work is committed
    page = client.get(reverse("profiling:postings")).content.decode()
    assert "being imported" in page
    assert "Waiting for a worker" in page


def test_the_same_file_sent_twice_while_it_is_imported_joins_the_import(
    client, staff, django_capture_on_commit_callbacks
):
    before = kept()
    with django_capture_on_commit_callbacks(execute=False):
        post(client, "postings.csv", CSV)
        post(client, "postings.csv", CSV)  # a double click
    job = import_job()  # one job, one kept file
    assert kept() - before == {job.args[0]}


def test_a_rerun_of_the_import_job_stores_nothing_twice(
    client, staff, upload, django_capture_on_commit_callbacks
):
    upload("postings.csv", CSV)
    job = import_job()
    # the worker was killed after the import: the run is taken over and sent again
    stale = timezone.now() - timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=stale, created_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_recover() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert (job.result["created"], job.result["duplicates"]) == (2, 1)
    assert (PostingImport.objects.count(), Posting.objects.count()) == (1, 2)
    assert AuditLog.objects.filter(action="postings.import").count() == 1


def test_a_rerun_that_finds_the_file_taken_and_nothing_imported_says_so(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        post(client, "postings.csv", CSV)
    job = import_job()
    jobs.upload_take(job.args[0])  # a first run read the file, then its worker was killed
    stale = timezone.now() - timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(
        state="running", attempts=1, heartbeat_at=stale, created_at=stale
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs.jobs_recover()
    job.refresh_from_db()
    assert job.state == "succeeded"  # an outcome to read, not a failure to retry
    assert "no longer kept" in job.message
    assert "upload it again" in job.result["refused"]
    assert (PostingImport.objects.count(), Posting.objects.count()) == (0, 0)
    page = client.get(reverse("profiling:postings")).content.decode()
    assert "no longer kept" in page


def test_json_lines_and_json_arrays_are_accepted(client, staff, upload):
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
    upload("a.jsonl", "\n".join(json.dumps(r) for r in rows))
    upload("b.json", json.dumps([{**r, "source": "other"} for r in rows]))
    assert Posting.objects.count() == 4


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_imported(client, staff, upload):
    bad = (
        "title,description,budget,date,source\n"
        "Good one,fine,10,2026-10-01,upwork\n"
        ",missing title,10,2026-10-01,upwork\n"
        "Bad date,desc,10,01/10/2026,upwork\n"
        "Bad budget,desc,lots,2026-10-01,upwork\n"
        "Future,desc,10,2999-01-01,upwork\n"
    )
    body = upload("bad.csv", bad).content.decode()
    assert "Nothing was imported: 4 lines have errors." in body
    for line in (3, 4, 5, 6):
        assert f"Line {line}:" in body
    assert "Line 3: title is missing." in body
    assert "Line 4: date must be YYYY-MM-DD." in body
    assert "Line 2:" not in body
    assert Posting.objects.count() == 0
    assert PostingImport.objects.count() == 0
    job = import_job()  # a refused file is the job's outcome, not its failure
    assert (job.state, job.error) == ("succeeded", "")
    assert job.result["refused"] == "Nothing was imported: 4 lines have errors."
    assert len(job.result["errors"]) == 4


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
def test_malformed_files_get_a_clear_error(client, staff, upload, name, content, message):
    response = upload(name, content)
    assert message in response.content.decode()
    assert Posting.objects.count() == 0
    assert PostingImport.objects.count() == 0
    assert import_job().state == "succeeded"


def test_an_oversized_file_is_refused_before_it_is_read(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(postings, "MAX_FILE_BYTES", 100)
    before = kept()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "big.csv", CSV)
    assert response.status_code == 200  # shown on the form: no job, nothing kept
    assert "larger than" in response.content.decode()
    assert Posting.objects.count() == 0
    assert not Job.objects.exists()
    assert kept() == before
    with pytest.raises(DomainError):
        postings.postings_import(actor=None, name="big.csv", raw=CSV.encode())


def test_hostile_titles_are_shown_inert(client, staff, upload):
    hostile = (
        "title,description,budget,date,source\n"
        '<script>alert(1)</script>,"<img src=x onerror=alert(1)>",,2026-10-01,upwork\n'
    )
    upload("<i onmouseover=alert(1)>x.csv", hostile)
    Posting.objects.update(pathway="cad-drafting-3d-modelling")
    body = client.get(reverse("profiling:postings")).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body
    assert "<i onmouseover" not in body  # the file's name, in the imports table
    assert "&lt;i onmouseover=alert(1)&gt;x.csv" in body


@pytest.mark.parametrize(
    "role", [Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST]
)
def test_only_programme_staff_import_postings(client, role, django_capture_on_commit_callbacks):
    login_with_second_factor(client, user_with_role(role))
    assert client.get(reverse("profiling:postings")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, "p.csv", CSV).status_code == 403
    assert Posting.objects.count() == 0
    assert not Job.objects.exists()


def test_imported_postings_are_classified_and_feed_demand(client, staff, upload):
    upload("postings.csv", CSV)  # the import job classifies what it imported
    assert postings.postings_classify() == 0
    solar = Posting.objects.get(title__startswith="Solar")
    assert solar.pathway == "solar-pv-renewable-design"
    assert solar.occupations[0]["code"]
    assert solar.occupations[0]["uri"].startswith("http://data.europa.eu/esco/occupation/")
    cad = Posting.objects.get(title__startswith="AutoCAD")
    assert cad.pathway == "cad-drafting-3d-modelling"
    Posting.objects.update(classified_at=None)
    assert postings.postings_classify() == 2  # resumable: what is left is done
    assert postings.postings_classify() == 0
    months = selectors.demand_by_month(months=24)
    assert {row["pathway"] for row in months} == {
        "solar-pv-renewable-design",
        "cad-drafting-3d-modelling",
    }


def test_the_outcome_is_in_the_language_of_who_sent_the_file(client, staff, upload):
    staff.preferred_language = "ur"
    staff.save(update_fields=["preferred_language"])
    upload("p.csv", "title,description,budget,date,source\n")
    assert import_job().result == {"refused": "فائل میں کوئی پوسٹنگ نہیں۔", "errors": []}
