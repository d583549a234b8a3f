"""Draft settings: model calls wait on the network, so several messages at once by default.

The model is any OpenAI-compatible endpoint. Each model setting reads ``REDLINE_DRAFT_<NAME>``;
``base_url``, ``api_key`` and ``model`` fall back to the standard ``OPENAI_BASE_URL``,
``OPENAI_API_KEY`` and ``OPENAI_MODEL``. With no model configured the offline extractive writer
drafts and revises.
"""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.model import ModelSettings, standard_alias
from shared.settings import ServiceSettings

PREFIX = "REDLINE_DRAFT_"


class Settings(ServiceSettings):
    concurrency: int = Field(default=4, ge=1)


class DraftModelSettings(ModelSettings):
    """The drafting and revising model, and the evidence budgets of its prompts."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", populate_by_name=True)

    base_url: str = Field(default="", validation_alias=standard_alias(PREFIX, "BASE_URL"), description="Empty: OpenAI's.")
    api_key: str = Field(default="", validation_alias=standard_alias(PREFIX, "API_KEY"), description="Empty: none sent.")
    model: str = Field(default="", validation_alias=standard_alias(PREFIX, "MODEL"), description="Empty: offline writer.")
    revise_model: str = Field(default="", description="Empty: ``model``.")
    prompt_tokens: int = Field(default=20000, ge=200, description="Budget of the sources in a draft prompt.")
    revision_prompt_tokens: int = Field(
        default=6000, ge=200, description="Budget of the sources in a revision prompt (the report and findings come on top)."
    )
    per_section: bool = Field(
        default=False, description="One call per section with its own evidence, citations attached by alignment."
    )
    context: int = Field(default=4096, ge=512, description="The model's context window: sizes per-section calls.")

    @property
    def reviser(self) -> str:
        """The model that revises: ``revise_model``, else ``model``."""
        return self.revise_model or self.model
