import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rabta.core.batches import in_batches
from rabta.core.models import Job

pytestmark = pytest.mark.django_db


def test_every_row_once_in_key_order_while_the_caller_changes_them():
    made = [Job.objects.create(name=f"job-{n}", state="queued").pk for n in range(7)]
    seen = []
    with CaptureQueriesContext(connection) as queries:
        for job in in_batches(Job.objects.filter(state="queued"), size=3):
            seen.append(job.pk)
            Job.objects.filter(pk=job.pk).update(state="running")  # no longer matches
    assert seen == sorted(made)
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 4  # three full batches' worth (3 + 3 + 1) and the empty one
    assert not Job.objects.filter(state="queued").exists()


def test_an_empty_queryset_costs_one_query():
    with CaptureQueriesContext(connection) as queries:
        assert list(in_batches(Job.objects.filter(name="nobody"), size=3)) == []
    assert len(queries.captured_queries) == 1
