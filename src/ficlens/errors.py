"""Errors a user can act on. Each carries a one-line message; the CLI prints it and exits 2."""

from __future__ import annotations


class FicError(Exception):
    """Base class for every expected failure (bad input, missing model, disabled stage)."""


class EmptyInputError(FicError):
    """The input holds no text at all."""


class BinaryInputError(FicError):
    """The input is not text and not a format we read."""


class UnsupportedFormatError(FicError):
    """A recognisable file type that ficlens does not read (PDF, MOBI, images…)."""


class EncodingError(FicError):
    """The bytes cannot be decoded as text in any plausible encoding."""


class InputTooLargeError(FicError):
    """The input (or an archive member) exceeds a configured size cap."""


class MalformedInputError(FicError):
    """The container is damaged: truncated EPUB, missing spine, hostile XML or paths."""


class ModelNotFoundError(FicError):
    """The requested spaCy pipeline is not installed."""


class UnsupportedModelError(FicError):
    """The spaCy pipeline loads but cannot serve ficlens (not English)."""


class StageConfigError(FicError):
    """A stage was disabled but a later stage needs its layer."""


class GoldFormatError(FicError):
    """A gold-data JSONL line is malformed; the message names the line and the field."""


class LibraryError(FicError):
    """The library database is missing, locked, damaged or written by a newer ficlens."""


class FandomFileError(FicError):
    """A fandom data file cannot be read or breaks the format (message names file and field)."""
