from django.contrib import admin

from rabta.community import models
from rabta.core.admin_audit import ViewOnlyAuditedAdmin

admin.site.register(
    [
        models.Chapter,
        models.ChapterEvent,
        models.Thread,
        models.Post,
        models.Flag,
        models.ModerationAction,
        models.Ban,
        models.Nomination,
        models.Honour,
        models.Call,
        models.PanelApplication,
    ],
    ViewOnlyAuditedAdmin,
)
