"""Pages for portfolios: the builder, its files, the public page and exports (``builder``), the
first-engagement kit (``kit``) and the outcome log (``outcomes``)."""

from rabta.portfolio.views.builder import (
    attachment_file,
    export_json,
    export_pdf,
    home,
    item_edit,
    platform_text,
    public,
)
from rabta.portfolio.views.kit import (
    contract_edit,
    contract_pdf,
    kit_page,
    proposal_edit,
    scam_checker,
)
from rabta.portfolio.views.outcomes import outcomes

__all__ = [
    "attachment_file",
    "contract_edit",
    "contract_pdf",
    "export_json",
    "export_pdf",
    "home",
    "item_edit",
    "kit_page",
    "outcomes",
    "platform_text",
    "proposal_edit",
    "public",
    "scam_checker",
]
