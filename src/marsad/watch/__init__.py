"""Live monitoring: watch outlets' feeds and pages and ingest new articles as they appear.

* :mod:`~marsad.watch.sources` reads the TOML sources file (:func:`load_sources`);
* :mod:`~marsad.watch.fetch` fetches with timeouts, size, redirect and rate limits;
* :mod:`~marsad.watch.feeds` parses RSS/Atom, :mod:`~marsad.watch.pages` extracts articles;
* :mod:`~marsad.watch.poller` runs the loop (:class:`Watcher`) into the pipeline.
"""

from marsad.watch.sources import SourceConfig, load_sources

__all__ = ["SourceConfig", "load_sources"]
