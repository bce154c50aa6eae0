"""HTTP API and web UI server: :func:`create_app` builds the FastAPI application."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the read side imports marsad.api.cache, and an eager import of
    # the application here would loop back to it (app -> web -> service -> api.cache).
    if name == "create_app":
        from marsad.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
