from django.contrib import admin

from rabta.core.admin_audit import ViewOnlyAuditedAdmin
from rabta.portfolio import models

admin.site.register(
    [
        models.Portfolio,
        models.PortfolioItem,
        models.Contract,
        models.Proposal,
        models.OutcomeEntry,
    ],
    ViewOnlyAuditedAdmin,
)
