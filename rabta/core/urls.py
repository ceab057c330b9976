from django.urls import path

from rabta.core import views

app_name = "core"

urlpatterns = [
    path("me/inbox/", views.inbox, name="inbox"),
]
