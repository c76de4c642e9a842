"""Field accuracy, precision and recall of the offline requirement parser on the dev set, our own set and the
held-out set. Run: DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/sourcing_extraction/run.py

A field is correct when the extracted value equals the expected one. In our sets every judged field is
labelled (absent from "expect" = the request does not state it), so a value extracted there is a false
positive. The dev set labels only some fields per case: it is scored on its expected fields only.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

import os  # noqa: E402

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django.setup()

from sourcing.extraction import extract_offline  # noqa: E402
from sourcing.schema import COMMAND_FIELDS  # noqa: E402

SETS = {
    "dev": (ROOT.parent / "shared" / "data" / "sourcing_requests_dev.jsonl", False),
    "own": (HERE / "cases.jsonl", True),
    "held_out": (HERE / "held_out.jsonl", True),
    # 40 requests written by the lead after the parser was done, without running it first; partly labelled.
    "fresh_lead": (HERE / "fresh_lead.jsonl", False),
}
EMPTY = (None, [], "")


def score(path: Path, fully_labelled: bool, verbose: bool = False) -> None:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp, fp, fn, right, judged = (defaultdict(int) for _ in range(5))
    by_language = defaultdict(lambda: [0, 0])
    for case in cases:
        got = extract_offline(case["text"]).model_dump()
        fields = COMMAND_FIELDS if fully_labelled else tuple(case["expect"])
        for name in fields:
            expected = case["expect"].get(name, [] if name in ("certifications", "customization") else None)
            value = got[name]
            ok = value == expected
            judged[name] += 1
            right[name] += ok
            by_language[case["lang"]][0] += ok
            by_language[case["lang"]][1] += 1
            if expected not in EMPTY:
                tp[name] += ok
                fn[name] += not ok
            if value not in EMPTY and not ok:
                fp[name] += 1
            if verbose and not ok:
                print(f"  {case['id']} {name}: got {value!r}, expected {expected!r} | {case['text'][:90]}")
    total_right, total = sum(right.values()), sum(judged.values())
    print(f"\n== {path.name}: {len(cases)} cases, field accuracy {total_right / total:.3f} ({total_right}/{total})")
    print(f"{'field':24} {'acc':>6} {'prec':>6} {'recall':>6}  (n)")
    for name in COMMAND_FIELDS:
        if not judged[name]:
            continue
        precision = tp[name] / (tp[name] + fp[name]) if tp[name] + fp[name] else 1.0
        recall = tp[name] / (tp[name] + fn[name]) if tp[name] + fn[name] else 1.0
        print(f"{name:24} {right[name] / judged[name]:6.3f} {precision:6.3f} {recall:6.3f}  ({judged[name]})")
    print("by language: " + ", ".join(f"{lang} {r / n:.3f}" for lang, (r, n) in sorted(by_language.items())))


def main() -> None:
    verbose = "-v" in sys.argv
    chosen = [name for name in SETS if name in sys.argv] or list(SETS)
    for name in chosen:
        path, fully_labelled = SETS[name]
        score(path, fully_labelled, verbose)


if __name__ == "__main__":
    main()
