"""The web entry points load the search vocabulary and the Chinese segmenter at start-up, so a process's first
Chinese search does not wait ~1.7 s for them (issue 11)."""

import importlib
import sys

from search import glossary, text


def test_the_wsgi_entry_point_loads_the_segmenter_and_the_glossary_before_any_search(monkeypatch):
    monkeypatch.setattr(text, "_jieba", None)
    text.cjk_index_tokens.cache_clear()  # an earlier test's cut must not stand in for the warm-up's
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    importlib.import_module("config.wsgi")
    assert text._jieba is not None  # taught the glossary's Chinese terms, dictionary loaded
    assert glossary.table.cache_info().currsize == 1
