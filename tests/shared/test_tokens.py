"""Offline token counts and the price table."""

from shared.tokens import cost_usd, count_tokens


def test_tokens_are_counted_offline():
    assert count_tokens("Hello world") == 2
    assert count_tokens("") == 0


def test_the_longest_matching_price_prefix_wins():
    assert cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000) == 0.75
    assert cost_usd("gpt-4o", 1_000_000, 0) == 2.5


def test_an_unknown_model_costs_nothing():
    assert cost_usd("smollm2-135m", 10_000, 10_000) == 0.0
