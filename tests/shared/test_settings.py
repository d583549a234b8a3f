"""Settings from the environment: NATS server lists and replicas; temporary overrides."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from shared.settings import NatsSettings, environment


def test_a_comma_separated_url_lists_every_server(monkeypatch):
    monkeypatch.setenv("NATS_URL", "nats://a:4222, nats://b:4222,nats://c:4222")

    assert NatsSettings().connect_options("svc")["servers"] == ["nats://a:4222", "nats://b:4222", "nats://c:4222"]


def test_a_single_url_is_one_server(monkeypatch):
    monkeypatch.setenv("NATS_URL", "tls://nats.example:4222")

    assert NatsSettings().servers == ["tls://nats.example:4222"]


def test_replicas_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NATS_REPLICAS", "3")

    assert NatsSettings().replicas == 3


def test_more_replicas_than_jetstream_allows_are_refused(monkeypatch):
    monkeypatch.setenv("NATS_REPLICAS", "7")

    with pytest.raises(ValidationError, match="replicas"):
        NatsSettings()


def test_environment_sets_names_for_the_block_and_restores_them(monkeypatch):
    monkeypatch.setenv("REDLINE_TEST_KEPT", "before")
    monkeypatch.delenv("REDLINE_TEST_NEW", raising=False)
    with environment({"REDLINE_TEST_KEPT": "during", "REDLINE_TEST_NEW": "during"}):
        inside = (os.environ["REDLINE_TEST_KEPT"], os.environ["REDLINE_TEST_NEW"])
    assert inside == ("during", "during")
    assert os.environ["REDLINE_TEST_KEPT"] == "before"
    assert "REDLINE_TEST_NEW" not in os.environ
