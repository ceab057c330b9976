from django.urls import path

from rabta.community.views import chapters, forum, honours, members, moderation, panels

app_name = "community"
urlpatterns = [
    path("", members.home, name="home"),
    path("members/<str:handle>/", members.member, name="member"),
    path("chapters/", chapters.chapters, name="chapters"),
    path("chapters/<slug:slug>/", chapters.chapter, name="chapter"),
    path("events/<int:event_id>/", chapters.event, name="event"),
    path("events/<int:event_id>.ics", chapters.event_calendar, name="event_ics"),
    path("forums/", forum.forums, name="forums"),
    path("forums/<slug:slug>/", forum.category, name="category"),
    path("threads/<int:thread_id>/", forum.thread, name="thread"),
    path("posts/<int:post_id>/", forum.post_action, name="post"),
    path("posts/<int:post_id>/edit/", forum.post_edit, name="post_edit"),
    path("search/", forum.search, name="search"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("moderation/members/<str:handle>/", moderation.member_moderate, name="member_moderate"),
    path("hall-of-fame/", honours.hall_of_fame, name="hall_of_fame"),
    path("hall-of-fame/nominate/", honours.nominate, name="nominate"),
    path("hall-of-fame/review/", honours.nominations_review, name="nominations_review"),
    path("hall-of-fame/consent/<int:honour_id>/", honours.honour_consent, name="honour_consent"),
    path("hall-of-fame/<slug:slug>/", honours.honour, name="honour"),
    path("calls/", panels.calls, name="calls"),
    path("calls/<int:call_id>/", panels.call, name="call"),
    path("calls/<int:call_id>/workspace/", panels.workspace, name="workspace"),
    path("documents/<int:document_id>/", panels.document_download, name="document"),
]
