"""Story summaries: extractive multi-document summary with outlet credits, plus baselines."""

from marsad.summarize.extractive import SourceDoc, Summary, SummarySentence, headline, summarize

__all__ = ["SourceDoc", "Summary", "SummarySentence", "headline", "summarize"]
