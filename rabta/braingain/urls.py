from django.urls import path

from rabta.braingain import views

app_name = "braingain"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("asks/new/", views.ask_new, name="ask_new"),
    path("asks/<int:ask_id>/", views.ask_detail, name="ask"),
    path("projects/", views.projects, name="projects"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("expertise/", views.expertise, name="expertise"),
    path("mentorships/<int:mentorship_id>/", views.mentorship_detail, name="mentorship"),
    path(
        "mentorships/<int:mentorship_id>/certificate.pdf",
        views.certificate_download,
        name="certificate",
    ),
    path("sessions/<int:session_id>.ics", views.session_calendar, name="session_ics"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("engagements/<int:engagement_id>/", views.engagement_detail, name="engagement"),
    path("staff/rounds/", views.staff_rounds, name="staff_rounds"),
    path("staff/rounds/<int:round_id>/", views.staff_round, name="staff_round"),
    path("staff/report/", views.staff_report, name="staff_report"),
]
