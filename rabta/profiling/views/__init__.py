"""Pages for career profiling: the assessment (``assessment``), and the results, analysts'
aggregates and postings intake (``results``)."""

from rabta.profiling.views.assessment import home, review, skill_search, start, step
from rabta.profiling.views.results import insights, posting_intake, results, staff_results

__all__ = [
    "home",
    "insights",
    "posting_intake",
    "results",
    "review",
    "skill_search",
    "staff_results",
    "start",
    "step",
]
