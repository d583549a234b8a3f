"""Draft settings: model calls wait on the network, so several messages at once by default.

The model is any OpenAI-compatible endpoint. Each model setting reads ``REDLINE_DRAFT_<NAME>`` first,
then the standard ``OPENAI_<NAME>`` variable where one exists (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``,
``OPENAI_MODEL``). With no model configured the offline extractive writer drafts and revises.
"""

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=4, ge=1)


def _env(name: str, standard: str = "") -> AliasChoices:
    """``REDLINE_DRAFT_<NAME>``, then ``OPENAI_<STANDARD>`` when given."""
    return AliasChoices(f"REDLINE_DRAFT_{name}", *([f"OPENAI_{standard}"] if standard else []))


class ModelSettings(BaseSettings):
    """How to reach the model and how long to try."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    base_url: str = Field(default="", validation_alias=_env("BASE_URL", "BASE_URL"), description="Empty: OpenAI's.")
    api_key: str = Field(default="", validation_alias=_env("API_KEY", "API_KEY"), description="Empty: none sent.")
    model: str = Field(default="", validation_alias=_env("MODEL", "MODEL"), description="Empty: offline writer.")
    revise_model: str = Field(default="", validation_alias=_env("REVISE_MODEL"), description="Empty: ``model``.")
    timeout: float = Field(default=180.0, gt=0, validation_alias=_env("TIMEOUT"), description="Seconds one call may take.")
    deadline: float = Field(
        default=900.0, gt=0, validation_alias=_env("DEADLINE"), description="Seconds all calls of one message may take."
    )
    max_tokens: int = Field(default=4096, ge=16, validation_alias=_env("MAX_TOKENS"), description="Reply budget per call.")
    temperature: float = Field(default=0.2, ge=0, le=2, validation_alias=_env("TEMPERATURE"))
    stream: bool = Field(default=True, validation_alias=_env("STREAM"))
    retries: int = Field(default=4, ge=0, validation_alias=_env("RETRIES"), description="Retries after a failed call.")
    backoff: float = Field(default=1.0, ge=0, validation_alias=_env("BACKOFF"), description="First retry delay, seconds.")
    continuations: int = Field(
        default=3, ge=0, validation_alias=_env("CONTINUATIONS"), description="Follow-ups to a reply cut at max_tokens."
    )
    prompt_tokens: int = Field(
        default=20000, ge=200, validation_alias=_env("PROMPT_TOKENS"), description="Budget of the sources in a draft prompt."
    )
    revision_prompt_tokens: int = Field(
        default=6000,
        ge=200,
        validation_alias=_env("REVISION_PROMPT_TOKENS"),
        description="Budget of the sources in a revision prompt (the report and findings come on top).",
    )
    progress_interval: float = Field(
        default=5.0, ge=0, validation_alias=_env("PROGRESS_INTERVAL"), description="Seconds between progress calls."
    )

    @property
    def configured(self) -> bool:
        """Whether a model is named (else the offline writer is used)."""
        return bool(self.model)
