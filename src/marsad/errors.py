"""Exceptions raised by Marsad.

Every error a user can cause derives from :class:`MarsadError`, so the CLI can catch one
type and print its one-line message instead of a traceback::

    MarsadError
    ├── InputError            a file or argument that cannot be read as news input
    ├── StoreError            the article store cannot be opened, read or written
    │   └── MigrationError    the store's schema cannot be brought to this version
    ├── ConfigError           a configuration value is missing or invalid
    └── MissingDependency     an optional package needed for a feature is not installed

Messages are one line that names the thing at fault and says what to do about it.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of all errors Marsad raises on purpose."""


class InputError(MarsadError):
    """Input that cannot be read: a missing path, binary or undecodable content."""


class StoreError(MarsadError):
    """The article store cannot be opened, read or written."""


class MigrationError(StoreError):
    """The store's schema cannot be migrated to the version this code expects."""


class ConfigError(MarsadError):
    """A configuration value is missing or invalid."""


class MissingDependency(MarsadError):
    """An optional third-party package needed for the requested feature is missing."""
