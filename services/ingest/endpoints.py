"""The optional models ingest may call: an OpenAI-compatible vision model and transcription endpoint,
and a local faster-whisper model (by default the one the ``asr`` extra ships).

Each setting reads ``REDLINE_<NAME>``; the endpoint's address and key are the standard
``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``. A model that is not named is not used. The service reads
them once at start and hands them to the readers (``services.ingest.handlers.Deps``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import openai
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.ingest.errors import SourceError
from shared.errors import TransientError

T = TypeVar("T")


class Endpoints(BaseSettings):
    """Which models ingest may call, and where."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    base_url: str = Field(default="", validation_alias=AliasChoices("OPENAI_BASE_URL"))
    api_key: str = Field(default="", validation_alias=AliasChoices("OPENAI_API_KEY"), exclude=True)
    vision_model: str = Field(default="", validation_alias=AliasChoices("REDLINE_VISION_MODEL"))
    transcribe_model: str = Field(default="", validation_alias=AliasChoices("REDLINE_TRANSCRIBE_MODEL"))
    whisper_model: str = Field(
        default="", validation_alias=AliasChoices("REDLINE_WHISPER_MODEL"),
        description="Folder of a CTranslate2 Whisper model for offline speech-to-text; empty = the model the "
        "'asr' extra ships; 'off' = none.",
    )
    timeout: float = Field(default=120.0, gt=0, validation_alias=AliasChoices("REDLINE_MEDIA_TIMEOUT"))

    @property
    def vision(self) -> bool:
        """Whether images are described by a vision model."""
        return bool(self.base_url and self.vision_model)

    @property
    def transcription(self) -> bool:
        """Whether speech may be sent to a transcription endpoint."""
        return bool(self.base_url and self.transcribe_model)

    def client(self) -> openai.OpenAI:
        """An OpenAI client for the configured endpoint (no retries: the bus retries the message)."""
        return openai.OpenAI(
            base_url=self.base_url, api_key=self.api_key or "none", timeout=self.timeout, max_retries=0
        )


OFFLINE = Endpoints.model_construct()
"""No endpoint and no model named, whatever the environment says: what a reader uses when it is
given no endpoints (speech is then read by the model the ``asr`` extra ships, when installed)."""


def call(what: str, request: Callable[[], T]) -> T:
    """The result of ``request``; a timeout, lost connection, 429 or 5xx becomes ``TransientError``
    and any other refusal a ``SourceError``, both saying ``what`` was being asked."""
    try:
        return request()
    except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
        raise TransientError(f"{what} failed for now: {exc}") from exc
    except openai.APIStatusError as exc:
        raise SourceError(f"{what} was refused: {exc.status_code} {exc.message}") from exc
