"""Ingest settings: reading files is CPU-bound, so one message at a time per replica by default."""

from pydantic import Field

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=1, ge=1)
