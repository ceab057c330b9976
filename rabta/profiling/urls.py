from django.urls import path

from rabta.profiling import views

app_name = "profiling"

urlpatterns = [
    path("profiling/", views.home, name="home"),
    path("profiling/start/", views.start, name="start"),
    path("profiling/skills/search/", views.skill_search, name="skill_search"),
    path("profiling/assessment/review/", views.review, name="review"),
    path("profiling/assessment/<slug:step>/", views.step, name="step"),
    path("profiling/results/", views.results, name="results"),
    path("profiling/staff/people/<int:user_id>/", views.staff_results, name="staff_results"),
    path("profiling/insights/", views.insights, name="insights"),
    path("profiling/postings/", views.posting_intake, name="postings"),
]
