# --- extraction / AI fixtures (sourcing.ai tests): the fake OpenAI-compatible server of tests/ai ---
from tests.ai.fake_openai import openai_server, use_offline, use_openai  # noqa: F401 - fixtures for this folder
