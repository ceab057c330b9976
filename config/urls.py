from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from config.api import api
from rabta.portfolio import views as portfolio_views

# The admin login asks for the second factor too.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Rabta administration"
admin.site.site_title = "Rabta admin"

urlpatterns = [
    path("", include("rabta.site.urls")),
    path("", include("rabta.accounts.urls")),
    path("", include("rabta.programme.urls")),
    path("", include("rabta.profiling.urls")),
    path("portfolio/", include("rabta.portfolio.urls")),
    path("brain-gain/", include("rabta.braingain.urls")),
    path("insights/", include("rabta.insights.urls")),
    path("community/", include("rabta.community.urls")),
    path("p/<slug:slug>/", portfolio_views.public, name="portfolio_public"),
    path("", include("rabta.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "rabta.core.views.page_not_found"
