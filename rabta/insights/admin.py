from django.contrib import admin

from rabta.core.admin_audit import ViewOnlyAuditedAdmin
from rabta.insights import models

admin.site.register([models.FillState, models.MonthlyReport], ViewOnlyAuditedAdmin)
