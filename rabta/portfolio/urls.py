from django.urls import path

from rabta.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/new/", views.item_edit, name="item_new"),
    path("items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("files/<str:token>/", views.attachment_file, name="file"),
    path("files/<str:token>/<str:variant>/", views.attachment_file, name="file_variant"),
    path("export/resume.json", views.export_json, name="export_json"),
    path("export/portfolio.pdf", views.export_pdf, name="export_pdf"),
    path("platform-text/", views.platform_text, name="platform_text"),
    path("kit/", views.kit_page, name="kit"),
    path("kit/proposals/new/", views.proposal_edit, name="proposal_new"),
    path("kit/proposals/<int:proposal_id>/", views.proposal_edit, name="proposal_edit"),
    path("kit/scam-check/", views.scam_checker, name="scam_check"),
    path("kit/contracts/new/", views.contract_edit, name="contract_new"),
    path("kit/contracts/<int:contract_id>/", views.contract_edit, name="contract_edit"),
    path("kit/contracts/<int:contract_id>/pdf/", views.contract_pdf, name="contract_pdf"),
    path("outcomes/", views.outcomes, name="outcomes"),
]
