"""Settings every service shares: how to reach NATS and how to consume. Read from the environment."""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import Iterator
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NatsSettings(BaseSettings):
    """NATS connection: URL and one of user/password, token or creds file; optional TLS."""

    model_config = SettingsConfigDict(env_prefix="NATS_", extra="ignore")

    url: str = Field(
        default="", description="One URL or a comma-separated list; empty: start an embedded server (redline run only)."
    )
    user: str = ""
    password: str = ""
    token: str = ""
    creds: str = Field(default="", description="Path of a .creds file.")
    tls_ca: str = ""
    tls_cert: str = ""
    tls_key: str = ""
    replicas: int = Field(
        default=1, ge=1, le=5, description="Replicas of the stream and both buckets: 3 on a 3-node cluster."
    )

    @property
    def servers(self) -> list[str]:
        """The URLs of ``url``: the client connects to any of them and fails over to the others."""
        return [part.strip() for part in self.url.split(",") if part.strip()]

    def connect_options(self, name: str) -> dict[str, Any]:
        """Keyword arguments for ``nats.connect``."""
        options: dict[str, Any] = {"servers": self.servers, "name": name, "max_reconnect_attempts": -1}
        if self.user:
            options.update(user=self.user, password=self.password)
        if self.token:
            options["token"] = self.token
        if self.creds:
            options["user_credentials"] = self.creds
        if self.tls_ca or self.tls_cert:
            context = ssl.create_default_context(cafile=self.tls_ca or None)
            if self.tls_cert:
                context.load_cert_chain(self.tls_cert, self.tls_key or None)
            options["tls"] = context
        return options


class ServiceSettings(BaseSettings):
    """How a service consumes: concurrency, ack wait, redelivery and health port."""

    model_config = SettingsConfigDict(env_prefix="REDLINE_", extra="ignore")

    concurrency: int = Field(default=2, ge=1, description="Messages handled at once by one replica.")
    ack_wait: float = Field(default=30.0, gt=0, description="Seconds before an unacked message is redelivered.")
    max_deliver: int = Field(default=5, ge=1, description="Deliveries before a transient failure fails the task.")
    drain_timeout: float = Field(default=25.0, gt=0, description="Seconds in-flight work may take at shutdown.")
    startup_timeout: float = Field(
        default=120.0, gt=0, description="Seconds to keep retrying a NATS server that is not ready at start-up."
    )
    health_port: int = Field(default=0, ge=0, description="Port of /livez, /readyz, /metrics; 0 = off.")
    log_level: str = "INFO"


@contextlib.contextmanager
def environment(overrides: dict[str, str]) -> Iterator[None]:
    """Set ``overrides`` in ``os.environ`` for the block; afterwards every name has its old value
    again (or is unset, if it was)."""
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
