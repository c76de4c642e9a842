import pytest

# --- extraction / AI fixtures (sourcing.ai tests): the fake OpenAI-compatible server of tests/ai ---
from tests.ai.fake_openai import openai_server, use_offline, use_openai  # noqa: F401 - fixtures for this folder


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the tasks a block queues on commit (plans, e-mails), as they run after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in English: a test client request in another language leaves that language active."""
    from django.utils import translation

    with translation.override("en"):
        yield
