import pytest

from shared.redact import redact

KEY = "marker-key-5f1c9e"


def test_the_value_of_a_secret_variable_is_masked():
    environ = {"OPENAI_API_KEY": KEY, "NATS_PASSWORD": "nats-pass-marker", "NATS_TOKEN": "nats-token-marker"}
    text = f"key {KEY}, password nats-pass-marker, token nats-token-marker"

    assert redact(text, environ) == "key ***, password ***, token ***"


def test_a_short_value_is_not_searched_for():
    assert redact("true or false", {"FEATURE_TOKEN": "true"}) == "true or false"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (f"cannot reach https://user:{KEY}@models.example/v1", "cannot reach https://user:***@models.example/v1"),
        (f"https://models.example/v1?api_key={KEY}&x=1", "https://models.example/v1?api_key=***&x=1"),
        (f"header Authorization: Bearer {KEY}", "header Authorization: Bearer ***"),
        ("Incorrect API key provided: sk-abcdefghij0123456789", "Incorrect API key provided: sk-***"),
    ],
)
def test_a_secret_in_a_url_header_or_key_shape_is_masked_without_knowing_it(text, redacted):
    assert redact(text, {}) == redacted
