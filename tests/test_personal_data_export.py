"""The download of a person's data: one zip with a JSON file per app, their files and a README,
made in the background and downloaded once by the person alone."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.models import User
from rabta.accounts.services import user_data_archive
from rabta.braingain import services as braingain
from rabta.braingain.models import Conversation, ConversationMember, Mentorship, Message
from rabta.braingain.tests.conftest import contributor, post_ask
from rabta.community import services as community
from rabta.community.tests.factories import thread, trusted
from rabta.core.models import AuditLog, Job
from rabta.core.notifications import notify
from rabta.core.personal_data import safe_name
from rabta.portfolio import services as portfolio
from rabta.portfolio.tests.conftest import CAD, image_bytes, profiled_engineer
from rabta.programme import services as programme
from rabta.programme.models import Application, Certificate
from rabta.programme.tests.factories import ANSWERS, CohortFactory

pytestmark = pytest.mark.django_db

APPS = ("core", "accounts", "programme", "profiling", "portfolio", "braingain", "community")


@dataclass
class Busy:
    engineer: User
    mentor: User
    other: User
    mentorship: Mentorship
    conversation: Conversation
    mine: Message
    theirs: Message


def busy_engineer() -> Busy:
    """An engineer who has done a bit of everything, a mentor, and another engineer."""
    engineer = profiled_engineer()
    other = profiled_engineer()
    mentor = contributor()
    cohort = CohortFactory(name="April cohort")
    application, _created = programme.application_submit(
        user=engineer, cohort_id=cohort.pk, data=ANSWERS
    )
    programme.application_submit(user=other, cohort_id=cohort.pk, data=ANSWERS)
    Certificate.objects.create(application=application, code="CERTBUSY01")
    item = portfolio.item_save(user=engineer, title="Bridge retrofit", client="NHA", year=2024)
    portfolio.attachment_add(
        user=engineer, item_id=item.pk, name="site photo.jpg", data=image_bytes(), label="Site"
    )
    portfolio.item_save(user=other, title="Someone else's tower")
    portfolio.contract_save(
        user=engineer,
        kind="nda",
        engineer_name="Busy Engineer",
        engineer_city="Lahore",
        client_name="Acme GmbH",
        client_country="Germany",
        scope="Structural review",
        start_on=dt.date(2026, 11, 1),
    )
    portfolio.outcome_log(
        user=engineer,
        kind="contract",
        happened_on=timezone.localdate(),
        platform="Upwork",
        pathway=CAD,
        amount_usd=Decimal("150"),
    )
    ask = post_ask(engineer)
    request = braingain.request_send(user=engineer, ask_id=ask.pk, contributor_id=mentor.pk)
    braingain.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get(request=request)
    # accepting may open the conversation already (its service is being built)
    conversation, _new = Conversation.objects.get_or_create(
        mentorship=mentorship, defaults={"subject": "Solar mini-grid"}
    )
    for person, role in ((engineer, "mentee"), (mentor, "mentor")):
        ConversationMember.objects.get_or_create(
            conversation=conversation, user=person, defaults={"role": role}
        )
    mine = Message.objects.create(
        conversation=conversation,
        author=engineer,
        body="Here is my load-flow draft",
        body_html="<p>Here is my load-flow draft</p>",
        attachment=ContentFile(b"draft bytes", name="load flow.txt"),
        attachment_name="load flow.txt",
        attachment_type="text/plain",
    )
    theirs = Message.objects.create(
        conversation=conversation,
        author=mentor,
        body="Mentor's private reply about sizing",
        body_html="<p>Mentor's private reply about sizing</p>",
    )
    trusted(other)
    started = thread(engineer, title="Inverter sizing", body="What DC/AC ratio in Lahore?")
    community.reply_create(user=other, thread=started, body="Other engineer's answer: 1.2")
    community.reply_create(user=engineer, thread=started, body="Thanks, 1.2 it is")
    notify(engineer, "core.job_done", None, {"label": "x", "message": "y"}, url="/")
    return Busy(engineer, mentor, other, mentorship, conversation, mine, theirs)


def archive_of(content: bytes) -> tuple[dict[str, Any], zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    parts = {
        name.removesuffix(".json"): json.loads(archive.read(name).decode("utf-8"))
        for name in archive.namelist()
        if name.endswith(".json")
    }
    return parts, archive


def test_the_busiest_person_gets_every_apps_data_and_their_files():
    busy = busy_engineer()
    parts, archive = archive_of(user_data_archive(user=busy.engineer))
    names = set(archive.namelist())

    assert set(parts) == set(APPS)
    assert parts["accounts"]["account"]["email"] == busy.engineer.email
    assert parts["accounts"]["engineer_profile"]["pec_number"] == (
        busy.engineer.engineer_profile.pec_number
    )
    (application,) = parts["programme"]["applications"]
    assert (application["cohort"], application["certificate"]["code"]) == (
        "April cohort",
        "CERTBUSY01",
    )
    assert [a["state"] for a in parts["profiling"]["assessments"]] == ["completed"]
    assert parts["profiling"]["first_engagement"]["amount_usd"] == "150.00"
    assert [i["title"] for i in parts["portfolio"]["items"]] == ["Bridge retrofit"]
    assert [o["amount_usd"] for o in parts["portfolio"]["outcomes"]] == ["150.00"]
    assert [c["client_name"] for c in parts["portfolio"]["contracts"]] == ["Acme GmbH"]
    (mentorship,) = parts["braingain"]["mentorships"]
    assert (mentorship["role"], mentorship["with"]) == ("mentee", busy.mentor.display_name)
    (conversation,) = parts["braingain"]["conversations"]
    assert [m["body"] for m in conversation["messages_written"]] == ["Here is my load-flow draft"]
    assert [p["body"] for p in parts["community"]["posts"]] == [
        "What DC/AC ratio in Lahore?",
        "Thanks, 1.2 it is",
    ]
    assert "core.job_done" in {n["kind"] for n in parts["core"]["notifications"]}
    (attachment,) = parts["portfolio"]["items"][0]["attachments"]
    evidence = attachment["in_archive"]
    assert evidence in names
    assert archive.read(evidence)[:3] == b"\xff\xd8\xff"  # the cleaned JPEG
    message_file = conversation["messages_written"][0]["in_archive"]
    assert archive.read(message_file) == b"draft bytes"
    pdfs = sorted(n for n in names if n.endswith(".pdf"))
    assert [n.rsplit("/", 1)[0] for n in pdfs] == ["files/portfolio"] * 2 + ["files/programme"]
    assert "files/programme/certificate-CERTBUSY01.pdf" in names
    assert all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    readme = archive.read("README.txt").decode()
    assert all(f"{app}.json" in readme for app in APPS)
    assert evidence in readme


def test_nobody_elses_data_is_in_the_archive():
    busy = busy_engineer()
    content = user_data_archive(user=busy.engineer)
    parts, archive = archive_of(content)
    everything = "\n".join(
        archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
    )
    assert busy.mentor.email not in everything
    assert busy.other.email not in everything
    assert "Mentor's private reply" not in everything
    assert "Other engineer's answer" not in everything
    assert "Someone else's tower" not in everything
    assert Application.objects.get(user=busy.other).motivation  # the other's exists...
    assert [a["cohort"] for a in parts["programme"]["applications"]] == ["April cohort"]


def test_times_are_written_in_the_readers_zone_with_the_offset():
    busy = busy_engineer()
    User.objects.filter(pk=busy.engineer.pk).update(time_zone="Asia/Karachi")
    busy.engineer.refresh_from_db()
    parts, _archive = archive_of(user_data_archive(user=busy.engineer))
    assert parts["accounts"]["account"]["date_joined"].endswith("+05:00")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/x.pdf", "abs/x.pdf"),
        ("..\\..\\win.ini", "win.ini"),
        ("café menu.pdf", "caf_menu.pdf"),
        ("...", "file"),
        (".hidden", "hidden"),
    ],
)
def test_file_names_in_the_archive_cannot_climb_out(name, safe):
    assert safe_name(name) == safe


def test_the_download_is_made_in_the_background_and_taken_once(
    client, django_capture_on_commit_callbacks
):
    busy = busy_engineer()
    client.force_login(busy.engineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("accounts:data_export"))
    assert started["Location"] == reverse("accounts:privacy")
    job = Job.objects.get(started_by=busy.engineer, name__endswith="user_data_export_task")
    assert (job.state, job.done, job.total) == ("succeeded", len(APPS), len(APPS))
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert job.result_url in page

    response = client.get(job.result_url)

    assert response.status_code == 200
    today = timezone.localdate(timezone=busy.engineer.zone)
    assert response["Content-Disposition"] == (
        f'attachment; filename="rabta-my-data-{today:%Y-%m-%d}.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    parts, _archive = archive_of(b"".join(response.streaming_content))
    assert set(parts) == set(APPS)
    job.refresh_from_db()
    assert job.result_taken_at is not None
    assert not job.result_file
    again = client.get(job.result_url)
    assert again.status_code == 410
    assert "downloaded only once" in again.content.decode()
    assert reverse("accounts:privacy") in again.content.decode()
    assert "no longer kept" in client.get(reverse("accounts:privacy")).content.decode()
    assert AuditLog.objects.filter(action="personal_data.exported").count() == 1


def test_nobody_else_takes_the_download_and_it_stays_for_its_owner(
    client, django_capture_on_commit_callbacks
):
    busy = busy_engineer()
    client.force_login(busy.engineer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:data_export"))
    job = Job.objects.get(started_by=busy.engineer, name__endswith="user_data_export_task")
    client.force_login(busy.other)
    assert client.get(job.result_url).status_code == 404
    job.refresh_from_db()
    assert job.result_taken_at is None
    assert job.result_file


def test_a_download_past_its_day_is_gone(client, django_capture_on_commit_callbacks):
    busy = busy_engineer()
    client.force_login(busy.engineer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:data_export"))
    job = Job.objects.get(started_by=busy.engineer, name__endswith="user_data_export_task")
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    response = client.get(job.result_url)
    assert response.status_code == 410
    assert "kept for a day" in response.content.decode()
    job.refresh_from_db()
    assert job.result_taken_at is None


def test_other_jobs_files_stay_downloadable_more_than_once(client):
    """Once-only is the data export's own option (``job_task(file_once=True)``), not a rule
    for every job's file."""
    from django.core.files.storage import default_storage

    busy = busy_engineer()
    stored = default_storage.save("jobs/report/report.csv", ContentFile(b"a,b\n1,2\n"))
    job = Job.objects.create(
        name="rabta.accounts.tasks.register_import_task",
        started_by=busy.engineer,
        state=Job.State.SUCCEEDED,
        result_file=stored,
        finished_at=timezone.now(),
    )
    client.force_login(busy.engineer)
    url = reverse("core:job_file", args=[job.pk])
    first, second = client.get(url), client.get(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert b"".join(second.streaming_content) == b"a,b\n1,2\n"
    job.refresh_from_db()
    assert job.result_taken_at is None


def test_the_api_answers_every_apps_json_for_the_caller_alone(client):
    from rabta.accounts.services import api_token_create

    busy = busy_engineer()
    _token, key = api_token_create(user=busy.engineer, name="export")
    response = client.get(reverse("api:me_data_export"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"exported_at", *APPS}
    assert data["accounts"]["account"]["email"] == busy.engineer.email
    assert busy.mentor.email not in response.content.decode()
