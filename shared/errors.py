"""The error tree handlers raise; the bus settles each kind by one rule.

    RedlineError
    ├── TransientError   retry later: nak with backoff (model 429/5xx, timeouts, NATS hiccups)
    └── PoisonError      never retry: term the message and publish task.failed with the reason
        └── PermissionDenied   the NATS server refused a subject to this user

Any other exception escaping a handler is treated as poison: a bug must not loop forever.
"""


class RedlineError(Exception):
    """Base of every error redline raises on purpose."""


class TransientError(RedlineError):
    """The work may succeed if tried again later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PoisonError(RedlineError):
    """The input can never be handled; the message carries a readable reason."""


class PermissionDenied(PoisonError):
    """The NATS server refused a publish or subscribe for this user: retrying cannot help."""
