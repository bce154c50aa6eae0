"""HTTP API and web UI server: :func:`create_app` builds the FastAPI application."""

from marsad.api.app import create_app

__all__ = ["create_app"]
