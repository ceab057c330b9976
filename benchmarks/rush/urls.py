"""The platform's URLs plus the ceiling view the rush benchmark compares against: the same
server, the same middleware, a view that does nothing but insert one row."""

from django.db import connection
from django.db.models import CharField
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


def _ceiling_sql() -> str:
    """One event row with every text dimension empty, the columns read from the model, so a
    column a later migration adds (NOT NULL, blank by default) cannot break the ceiling."""
    from rabta.core.models import Event

    blank = [
        field.column
        for field in Event._meta.concrete_fields
        if isinstance(field, CharField) and field.column not in ("kind", "subject_type")
    ]
    columns = ", ".join(["kind", "at", "subject_type", *blank])
    values = ", ".join(["'bench.ceiling'", "now()", "''", *["''"] * len(blank)])
    return f"INSERT INTO core_event ({columns}) VALUES ({values}) RETURNING id"  # noqa: S608


@csrf_exempt
def insert_one_row(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(_ceiling_sql())
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [
    path("bench/insert/", insert_one_row),
    path("", include("config.urls")),
]
