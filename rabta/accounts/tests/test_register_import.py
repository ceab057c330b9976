import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from rabta.accounts.models import EngineerProfile, PecRegisterEntry, PecRegisterImport
from rabta.accounts.roles import Role
from rabta.accounts.services import pec_register_import
from rabta.accounts.tests.factories import (
    EngineerProfileFactory,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.errors import DomainError
from rabta.core.models import Event, Job

pytestmark = pytest.mark.django_db

GOOD = (
    b"pec_number,name,discipline,status\n"
    b"CIVIL/20001,Ayesha Khan,CIVIL,active\n"
    b"ELECT/55,Bilal Raza,ELECT,active\n"
    b"MECH/77,Sana Mirza,MECH,suspended\n"
)


def test_import_verifies_matching_names_rejects_lapsed_numbers_and_flags_the_rest():
    confirmed = EngineerProfileFactory(
        pec_number="CIVIL/20001", user__display_name="Engr. Ayesha KHAN"
    )
    impostor = EngineerProfileFactory(
        pec_number="ELECT/55", discipline="ELECT", user__display_name="Not Bilal"
    )
    lapsed = EngineerProfileFactory(
        pec_number="MECH/77", discipline="MECH", verification_state="verified"
    )
    untouched = EngineerProfileFactory(pec_number="CIVIL/99999")

    result = pec_register_import(actor=None, content=GOOD)

    assert (result.row_count, result.created, result.verified, result.rejected) == (3, 3, 1, 1)
    state = lambda p: EngineerProfile.objects.get(pk=p.pk).verification_state  # noqa: E731
    assert state(confirmed) == "verified"
    assert state(impostor) == "pending"
    assert EngineerProfile.objects.get(pk=impostor.pk).register_match == "name_differs"
    assert state(lapsed) == "rejected"  # verified before, no longer current
    assert state(untouched) == "pending"
    assert Event.objects.filter(kind="engineer.pec_verified").count() == 1


def test_registered_names_are_not_stored():
    pec_register_import(actor=None, content=GOOD)
    stored = " ".join(str(v) for row in PecRegisterEntry.objects.values() for v in row.values())
    assert "Ayesha" not in stored
    assert "Khan" not in stored


def test_reimporting_an_earlier_file_applies_it_again():
    pec_register_import(actor=None, content=GOOD)
    pec_register_import(actor=None, content=GOOD.replace(b"suspended", b"active"))
    again = pec_register_import(actor=None, content=GOOD)
    assert not again.already_imported
    assert not PecRegisterEntry.objects.get(pec_number="MECH/77").in_good_standing


def test_reimporting_the_same_file_changes_nothing():
    pec_register_import(actor=None, content=GOOD)
    again = pec_register_import(actor=None, content=GOOD)
    assert again.already_imported
    assert PecRegisterEntry.objects.count() == 3
    assert PecRegisterImport.objects.count() == 1


def test_a_changed_file_updates_only_what_changed():
    pec_register_import(actor=None, content=GOOD)
    result = pec_register_import(actor=None, content=GOOD.replace(b"suspended", b"active"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert PecRegisterEntry.objects.get(pec_number="MECH/77").in_good_standing


def test_one_bad_line_rejects_the_whole_file_with_every_error_by_line():
    EngineerProfileFactory(pec_number="CIVIL/20001")
    content = (
        b"pec_number,name,discipline,status\n"
        b"CIVIL/20001,A Khan,CIVIL,active\n"
        b"not-a-number,B Khan,CIVIL,active\n"
        b"ELECT/5,C Khan,CIVIL,active\n"
        b"CIVIL/20001,A Khan,CIVIL,active\n"
        b"MECH/1,D Khan,MECH,maybe\n"
        b"short\n"
        b"MECH/2,  ,MECH,active\n"
    )
    with pytest.raises(DomainError) as caught:
        pec_register_import(actor=None, content=content)
    errors = caught.value.fields["file"]
    lines = [e.split(":")[0] for e in errors]
    assert lines == ["Line 3", "Line 4", "Line 5", "Line 6", "Line 7", "Line 8"]
    assert "name is missing" in errors[5]
    assert "already appears on line 2" in errors[2]
    assert not PecRegisterEntry.objects.exists()
    assert EngineerProfile.objects.get().verification_state == "pending"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"number,kind\nCIVIL/1,CIVIL\n", "missing: pec_number"),
        (b"pec_number,name,discipline,status\n", "no rows"),
        ("pec_number,name,discipline,status\nCIVIL/1,A,CIVIL,active\n".encode("utf-16"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "UTF-8"),
        (b"pec_number,name,discipline,status\nCIVIL/1,A,CIVIL,active\x00\n", "not a CSV"),
    ],
)
def test_malformed_files_get_a_clear_error(content, message):
    with pytest.raises(DomainError) as caught:
        pec_register_import(actor=None, content=content)
    assert message in " ".join(caught.value.fields.get("file", [caught.value.message]))
    assert not PecRegisterEntry.objects.exists()


def test_oversized_files_are_refused_before_reading(settings):
    settings.REGISTER_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError) as caught:
        pec_register_import(actor=None, content=GOOD * 10)
    assert "larger than" in caught.value.message
    assert not PecRegisterEntry.objects.exists()


def test_staff_upload_page_answers_at_once_then_reports(client, django_capture_on_commit_callbacks):
    staff = user_with_role(Role.PROGRAMME_STAFF)
    login_with_second_factor(client, staff)
    page = reverse("accounts:register_import")
    upload = SimpleUploadedFile("../../register.csv", GOOD, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(page, {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == page
    assert not PecRegisterEntry.objects.exists()  # nothing read inside the request
    job = Job.objects.get(name="rabta.accounts.tasks.register_import_task")
    assert job.started_by == staff
    assert ".." not in job.args[0]  # the kept file's name has no path tricks
    for send in queued:
        send()
    job.refresh_from_db()
    assert job.state == "succeeded"
    assert PecRegisterEntry.objects.count() == 3
    assert "3 rows: 3 new" in client.get(page).content.decode()
    # the same job delivered again finds its file taken and changes nothing
    from rabta.accounts.tasks import register_import_task

    again = Job.objects.create(name=job.name, args=job.args, started_by=staff)
    register_import_task.apply(args=job.args, kwargs={"job_id": again.pk})
    again.refresh_from_db()
    assert "upload it again" in again.result["refused"]
    assert PecRegisterEntry.objects.count() == 3


def test_a_refused_file_is_listed_line_by_line_on_the_page(
    client, django_capture_on_commit_callbacks
):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    bad = GOOD + b"<script>alert(1)</script>,X,CIVIL,maybe\n"
    upload = SimpleUploadedFile("r.csv", bad, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register_import"), {"file": upload})
    page = client.get(reverse("accounts:register_import")).content.decode()
    assert "Nothing was imported" in page
    assert "line 5" in page.lower()
    assert "<script>alert(1)</script>" not in page
    assert not PecRegisterEntry.objects.exists()
    assert Job.objects.get().state == "succeeded"  # a refused file is not a failed job


def test_an_oversized_upload_is_refused_in_the_request(client, settings):
    settings.REGISTER_IMPORT_MAX_BYTES = 100
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    upload = SimpleUploadedFile("r.csv", GOOD * 10, content_type="text/csv")
    response = client.post(reverse("accounts:register_import"), {"file": upload})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Job.objects.exists()


def test_engineers_cannot_reach_the_import(client):
    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    upload = SimpleUploadedFile("r.csv", GOOD, content_type="text/csv")
    assert client.post(reverse("accounts:register_import"), {"file": upload}).status_code == 403
    assert not PecRegisterEntry.objects.exists()


def test_command_line_import(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(GOOD)
    call_command("import_pec_register", str(path))
    assert PecRegisterEntry.objects.count() == 3


def test_a_second_register_upload_while_one_imports_is_refused_and_not_kept(
    client, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    page = reverse("accounts:register_import")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(page, {"file": SimpleUploadedFile("a.csv", GOOD, content_type="text/csv")})
        second = client.post(
            page, {"file": SimpleUploadedFile("b.csv", GOOD, content_type="text/csv")}
        )
    assert second.status_code == 200
    assert "A register import is running" in second.content.decode()
    assert Job.objects.count() == 1
    _folders, kept = default_storage.listdir("jobs/uploads")
    assert len(kept) == 1
