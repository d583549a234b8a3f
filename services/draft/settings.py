"""Draft settings: model calls wait on the network, so several messages at once by default."""

from pydantic import Field

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    concurrency: int = Field(default=4, ge=1)
