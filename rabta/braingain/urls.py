from django.urls import path

from rabta.braingain.views import (
    asks,
    consultancy,
    conversations,
    hub,
    mentorships,
    requests,
    staff,
)

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
    path("meetings/<int:meeting_id>.ics", consultancy.meeting_calendar, name="meeting_ics"),
    path("calendar/<str:token>.ics", mentorships.calendar_feed, name="calendar_feed"),
    path("calendar/reset/", mentorships.calendar_feed_reset, name="calendar_feed_reset"),
    path("certificates/<str:code>/", mentorships.certificate_verify, name="certificate_verify"),
    path("engagements/<int:engagement_id>/", consultancy.engagement_detail, name="engagement"),
    path("staff/rounds/", staff.staff_rounds, name="staff_rounds"),
    path("staff/rounds/<int:round_id>/", staff.staff_round, name="staff_round"),
    path("staff/report/", staff.staff_report, name="staff_report"),
    # conversations between matched people
    path("conversations/", conversations.conversations, name="conversations"),
    path(
        "conversations/with/<str:match>/<int:match_id>/",
        conversations.conversation_for,
        name="conversation_for",
    ),
    path(
        "conversations/<int:conversation_id>/",
        conversations.conversation_detail,
        name="conversation",
    ),
    path(
        "conversations/<int:conversation_id>/messages/<int:message_id>/file",
        conversations.conversation_file,
        name="conversation_file",
    ),
    path(
        "conversations/<int:conversation_id>/messages/<int:message_id>/report/",
        conversations.conversation_report,
        name="conversation_report",
    ),
    path("staff/conversations/", conversations.staff_conversations, name="staff_conversations"),
    path(
        "staff/conversations/<int:conversation_id>/",
        conversations.staff_conversation,
        name="staff_conversation",
    ),
]
