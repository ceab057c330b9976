from django.urls import path

from rabta.braingain.views import asks, consultancy, hub, mentorships, requests, staff

app_name = "braingain"
urlpatterns = [
    path("", hub.hub, name="hub"),
    path("asks/new/", asks.ask_new, name="ask_new"),
    path("asks/<int:ask_id>/", asks.ask_detail, name="ask"),
    path("projects/", hub.projects, name="projects"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("expertise/", hub.expertise, name="expertise"),
    path("mentorships/<int:mentorship_id>/", mentorships.mentorship_detail, name="mentorship"),
    path(
        "mentorships/<int:mentorship_id>/certificate.pdf",
        mentorships.certificate_download,
        name="certificate",
    ),
    path("sessions/<int:session_id>.ics", mentorships.session_calendar, name="session_ics"),
    path("certificates/<str:code>/", mentorships.certificate_verify, name="certificate_verify"),
    path("engagements/<int:engagement_id>/", consultancy.engagement_detail, name="engagement"),
    path("staff/rounds/", staff.staff_rounds, name="staff_rounds"),
    path("staff/rounds/<int:round_id>/", staff.staff_round, name="staff_round"),
    path("staff/report/", staff.staff_report, name="staff_report"),
]
