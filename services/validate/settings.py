"""Validate settings: checks are CPU-bound; scale with replicas rather than concurrency.

The model judge is optional and off unless ``REDLINE_JUDGE_MODEL`` names a model; its endpoint
and key are ``REDLINE_JUDGE_BASE_URL`` / ``REDLINE_JUDGE_API_KEY``, else ``OPENAI_BASE_URL`` /
``OPENAI_API_KEY``. Drafting with a model does not turn the judge on.
"""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.model import ModelSettings, standard_alias
from shared.settings import ServiceSettings

PREFIX = "REDLINE_JUDGE_"


class Settings(ServiceSettings):
    concurrency: int = Field(default=1, ge=1)


class JudgeSettings(ModelSettings):
    """The model that judges the citations the offline checks doubt."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", populate_by_name=True)

    base_url: str = Field(default="", validation_alias=standard_alias(PREFIX, "BASE_URL"), description="Empty: OpenAI's.")
    api_key: str = Field(default="", validation_alias=standard_alias(PREFIX, "API_KEY"), description="Empty: none sent.")
    model: str = Field(default="", description="Empty: no judge; the offline checks decide alone.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds one call may take.")
    deadline: float = Field(default=120.0, gt=0, description="Seconds the calls about one sentence may take.")
    max_tokens: int = Field(default=80, ge=1, description="One short verdict line per claim of a batch.")
    temperature: float = Field(default=0.0, ge=0, le=2)
    stream: bool = False
    retries: int = Field(default=2, ge=0)
    max_calls: int = Field(default=20, ge=0, description="Sentences judged per report version, at most.")
    evidence_chars: int = Field(default=6000, ge=200, description="Characters of aligned evidence shown per call.")
    batch: int = Field(default=5, ge=1, description="Claims judged per call.")
