"""Validate settings: checks are CPU-bound; scale with replicas rather than concurrency."""

from pydantic import Field

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=1, ge=1)
