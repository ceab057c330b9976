from django.contrib import admin

from rabta.core.admin_audit import ViewOnlyAuditedAdmin
from rabta.profiling import models

admin.site.register(
    [
        models.Assessment,
        models.ProfileResult,
        models.EngagementOutcome,
        models.PathwayPrior,
        models.PostingImport,
        models.Posting,
    ],
    ViewOnlyAuditedAdmin,
)
