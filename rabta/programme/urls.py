from django.urls import path

from rabta.programme import views

app_name = "programme"

urlpatterns = [
    path("programme/", views.cohort_list, name="cohorts"),
    # before the cohort pages: "mine" is a reserved cohort slug
    path("programme/mine/", views.my_cohorts, name="mine"),
    path("programme/<slug:slug>/", views.application, name="application"),
    path("programme/<slug:slug>/calendar.ics", views.calendar_download, name="calendar"),
    path("programme/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("programme/<slug:slug>/certificate.pdf", views.certificate_download, name="certificate"),
    path("programme/<slug:slug>/sessions/<int:session_id>/absence/", views.excuse, name="excuse"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("staff/programme/<slug:slug>/sessions/", views.staff_sessions, name="staff_sessions"),
    path(
        "staff/programme/<slug:slug>/sessions/<int:session_id>/",
        views.staff_session,
        name="staff_session",
    ),
    path("staff/programme/", views.staff_cohorts, name="staff_cohorts"),
    path("staff/programme/expire-offers/", views.staff_expire_offers, name="staff_expire_offers"),
    path("staff/programme/<slug:slug>/", views.staff_cohort, name="staff_cohort"),
    path(
        "staff/programme/<slug:slug>/applicants/", views.staff_applicants, name="staff_applicants"
    ),
    path(
        "staff/programme/<slug:slug>/allocation/", views.staff_allocation, name="staff_allocation"
    ),
]
