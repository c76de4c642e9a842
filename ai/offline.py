"""Offline embeddings: feature hashing of words and character trigrams.

Not a language model, but real and deterministic: texts sharing words or word pieces (across spelling
variants, plurals, CJK text without spaces) land close together under cosine similarity.
"""

import hashlib
import math
import re
import unicodedata

WORD_RE = re.compile(r"\w+", re.UNICODE)


def _features(text: str):
    text = unicodedata.normalize("NFKC", text).lower()
    for word in WORD_RE.findall(text):
        yield "w:" + word, 1.0
        padded = f" {word} "
        for i in range(len(padded) - 2):
            yield "c:" + padded[i : i + 3], 0.5


def hashed_embedding(text: str, dimensions: int) -> list[float]:
    vector = [0.0] * dimensions
    for feature, weight in _features(text):
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % dimensions
        sign = 1.0 if digest[4] & 1 else -1.0  # signed hashing keeps collisions from only adding up
        vector[bucket] += sign * weight
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm else vector


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
