"""Story summaries: extractive multi-document summary with outlet credits, plus baselines.

:func:`summarize` is what the pipeline shows; :func:`lead_summary` and
:func:`lexrank_summary` are baselines for evaluation, choosing from the same candidate
sentences and crediting outlets the same way.
"""

from marsad.summarize.baselines import lead_summary, lexrank_summary
from marsad.summarize.extractive import (
    SourceDoc,
    Summary,
    SummarySentence,
    headline,
    lead_of,
    summarize,
)
from marsad.summarize.pool import LeadSentence, lead_analysis, leads_from_json, leads_to_json

__all__ = [
    "LeadSentence",
    "SourceDoc",
    "Summary",
    "SummarySentence",
    "headline",
    "lead_analysis",
    "lead_of",
    "lead_summary",
    "leads_from_json",
    "leads_to_json",
    "lexrank_summary",
    "summarize",
]
