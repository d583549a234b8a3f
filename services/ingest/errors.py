"""The one error ingest raises on purpose: a source that cannot be read, with a readable reason."""


class SourceError(Exception):
    """A source file (or a whole upload) gives no usable text; the message says why."""
