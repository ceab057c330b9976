from django.urls import path

from rabta.community import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("members/<str:handle>/", views.member, name="member"),
    path("chapters/", views.chapters, name="chapters"),
    path("chapters/<slug:slug>/", views.chapter, name="chapter"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>.ics", views.event_calendar, name="event_ics"),
    path("forums/", views.forums, name="forums"),
    path("forums/<slug:slug>/", views.category, name="category"),
    path("threads/<int:thread_id>/", views.thread, name="thread"),
    path("posts/<int:post_id>/", views.post_action, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("search/", views.search, name="search"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/members/<str:handle>/", views.member_moderate, name="member_moderate"),
    path("hall-of-fame/", views.hall_of_fame, name="hall_of_fame"),
    path("hall-of-fame/nominate/", views.nominate, name="nominate"),
    path("hall-of-fame/review/", views.nominations_review, name="nominations_review"),
    path("hall-of-fame/consent/<int:honour_id>/", views.honour_consent, name="honour_consent"),
    path("hall-of-fame/<slug:slug>/", views.honour, name="honour"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:call_id>/", views.call, name="call"),
    path("calls/<int:call_id>/workspace/", views.workspace, name="workspace"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
]
