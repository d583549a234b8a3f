"""Model settings from the standard OPENAI_* variables and the REDLINE_DRAFT_* overrides."""

from services.draft.settings import DraftModelSettings


def test_no_model_means_the_offline_writer(monkeypatch):
    for name in ("OPENAI_MODEL", "REDLINE_DRAFT_MODEL"):
        monkeypatch.delenv(name, raising=False)
    assert not DraftModelSettings().configured


def test_the_standard_openai_variables_are_read(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_MODEL", "qwen-plus")
    settings = DraftModelSettings()
    assert (settings.base_url, settings.api_key, settings.model) == ("http://127.0.0.1:8080/v1", "sk-test", "qwen-plus")


def test_redline_draft_variables_override_the_standard_ones(monkeypatch):
    monkeypatch.setenv("OPENAI_MODEL", "qwen-plus")
    monkeypatch.setenv("REDLINE_DRAFT_MODEL", "deepseek-chat")
    monkeypatch.setenv("REDLINE_DRAFT_MAX_TOKENS", "8000")
    settings = DraftModelSettings()
    assert (settings.model, settings.max_tokens) == ("deepseek-chat", 8000)


def test_the_revise_model_defaults_to_the_draft_model(monkeypatch):
    monkeypatch.setenv("REDLINE_DRAFT_MODEL", "qwen-plus")
    assert DraftModelSettings().reviser == "qwen-plus"
    monkeypatch.setenv("REDLINE_DRAFT_REVISE_MODEL", "qwen-max")
    assert DraftModelSettings().reviser == "qwen-max"
