"""Compare settings: writing artifacts is quick; two messages at once by default."""

from pydantic import Field

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=2, ge=1)
