"""The shell's pages.  No namespace: templates link to the home page as ``{% url 'home' %}``."""

from django.urls import path

from rabta.site import views

urlpatterns = [
    path("", views.home, name="home"),
]
