"""Production code never reads demo data: only the demo app itself (and benchmarks) import `demo`."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"demo", "tests", "bench", ".venv", "var"}


def test_no_app_imports_demo():
    offenders, scanned = [], 0
    for path in ROOT.rglob("*.py"):
        if path.relative_to(ROOT).parts[0] in ALLOWED:
            continue
        scanned += 1
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(name == "demo" or name.startswith("demo.") for name in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert scanned > 50 and offenders == []
