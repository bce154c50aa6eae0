"""Ingest stage: read input files into cleaned :class:`~marsad.models.RawArticle` values.

Public API:

* :func:`read_path` reads a file or folder (``.txt``, ``.jsonl``, ``.jsonl.gz``, ``.csv``)
  and yields articles and :class:`~marsad.models.Skipped` records, never raising for bad input;
* :func:`decode_bytes` turns file bytes into text (UTF-8, UTF-16, cp1256) or raises
  :class:`~marsad.errors.InputError`;
* :func:`strip_boilerplate` and :class:`BoilerplateLearner` remove scraped page furniture.
"""

from marsad.ingest.boilerplate import BoilerplateLearner, is_prompt, line_key, strip_boilerplate
from marsad.ingest.encoding import decode_bytes
from marsad.ingest.readers import (
    MAX_RECORD_CHARS,
    UNKNOWN_SOURCE,
    clean_body,
    clean_title,
    parse_date,
    read_path,
)

__all__ = [
    "MAX_RECORD_CHARS",
    "UNKNOWN_SOURCE",
    "BoilerplateLearner",
    "clean_body",
    "clean_title",
    "decode_bytes",
    "is_prompt",
    "line_key",
    "parse_date",
    "read_path",
    "strip_boilerplate",
]
