"""The AI provider layer: one client factory, a structured-output call, embeddings, and the offline switch.

No prompts live here; each app's `ai.py` owns its prompts, pydantic results and offline rules and calls
`ai.calls.structured_output` / `ai.calls.embed`. This package imports no other Silkway app.
"""
