"""Ingest settings: reading runs in worker threads, so one replica reads several tasks at once and a
heavy file does not hold up the tasks behind it."""

from pydantic import Field

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=4, ge=1)
