"""The platform's URLs plus the ceiling view the rush benchmark compares against: the same
server, the same middleware, a view that does nothing but insert one row."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def insert_one_row(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_event (kind, at, subject_type, cohort, province, district, gender,"
            " discipline, pathway, country) VALUES ('bench.ceiling', now(), '', '', '', '', '',"
            " '', '', '') RETURNING id"
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [
    path("bench/insert/", insert_one_row),
    path("", include("config.urls")),
]
