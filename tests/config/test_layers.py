"""Model references follow the layers too. import-linter sees imports; a string foreign key ("app.Model") is not
an import, so this checks every relation between our apps against the same layer list in pyproject.toml."""

import tomllib
from pathlib import Path

from django.apps import apps

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _layers() -> dict[str, int]:
    """app label -> layer index (0 = top), from the import-linter layers contract."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    out = {}
    for index, layer in enumerate(contract["layers"]):
        for name in layer.split("|"):
            out[name.strip()] = index
    return out


def test_relations_point_only_down_the_layers():
    layers = _layers()
    checked, wrong = 0, []
    for model in apps.get_models():
        if model._meta.app_label not in layers:
            continue  # Django's and third-party apps
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            source, target = model._meta.app_label, field.related_model._meta.app_label
            if target not in layers or target == source:
                continue
            if source == "core" and getattr(field, "swappable_setting", None) == "AUTH_USER_MODEL":
                # core's activity log points at the configured user model (settings.AUTH_USER_MODEL), as Django's
                # own LogEntry does: the swappable setting, not an import of accounts.
                continue
            checked += 1
            # Lower layers have larger indexes; siblings in one "a | b" layer are independent of each other.
            if layers[target] <= layers[source]:
                wrong.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert checked > 5, "no cross-app relations found: the layer list no longer names our apps"
    assert wrong == [], "relations that point up or sideways in the layers: " + ", ".join(wrong)
