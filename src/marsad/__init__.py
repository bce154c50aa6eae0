"""Marsad: multi-source Arabic news intelligence."""

__version__ = "0.1.0"
