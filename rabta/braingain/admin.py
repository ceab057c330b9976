from django.contrib import admin

from rabta.braingain import models
from rabta.core.admin_audit import ViewOnlyAuditedAdmin

admin.site.register(
    [
        models.Ask,
        models.MatchRequest,
        models.Mentorship,
        models.Proposal,
        models.Engagement,
        models.Milestone,
        models.MatchingRound,
    ],
    ViewOnlyAuditedAdmin,
)
