from django.urls import path, re_path

from rabta.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.page, name="home"),
    path("world.svg", views.world_map, name="world_map"),
    path("reports/", views.report_list, name="reports"),
    re_path(r"^reports/(?P<month>\d{4}-\d{2})/$", views.report, name="report"),
    re_path(r"^reports/(?P<month>\d{4}-\d{2})\.pdf$", views.report_pdf, name="report_pdf"),
    path("<slug:page>/", views.page, name="page"),
    path("<slug:page>/<slug:tile>.<str:fmt>", views.export, name="export"),
]
