from .fake_openai import openai_server, use_offline, use_openai  # noqa: F401 - fixtures for this folder
