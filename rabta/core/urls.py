from django.urls import path

from rabta.core import email_views, views

app_name = "core"

urlpatterns = [
    path("me/inbox/", views.inbox, name="inbox"),
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    path("staff/emails/", email_views.emails_page, name="emails"),
    path("jobs/", views.jobs_page, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
]
