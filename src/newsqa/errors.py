"""Exceptions newsqa raises on bad input. Each message says what to do."""

from __future__ import annotations


class NewsqaError(Exception):
    """Base class of every error newsqa raises on purpose."""


class InputError(NewsqaError, ValueError):
    """The input cannot be read as articles (missing file, bad column, duplicate id...)."""


class ConfigError(NewsqaError, ValueError):
    """A configuration value is out of range or unknown."""


class MissingExtraError(ConfigError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""
