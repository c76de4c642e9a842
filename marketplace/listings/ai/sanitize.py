"""Text hygiene shared by the input and output guards and the extraction rules: HTML to plain text, instructions
aimed at a model, contact details, spam phrases and shouting."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

BLOCK_TAG_RE = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr|/ul|/ol)\b[^>]*>", re.I)
LIST_ITEM_RE = re.compile(r"<\s*li\b[^>]*>", re.I)
TAG_LIKE_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>?")
CONTROL_RE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
CONTACT_RE = re.compile(
    r"(?:[\w.+-]+@[\w-]+\.[\w.-]+)|(?:https?://\S+|www\.\S+)|(?:\+?\d[\d ()-]{8,}\d)"
    r"|(?:\b(?:whats\s?app|wechat|skype|telegram|viber)\b[:\s]*\S*)"
    r"|(?:\b(?:please\s+)?(?:contact|call|email|e-mail|message|inbox)\s+(?:me|us)\b[^.\n]*\.?)",
    re.I,
)
SHOUTING_RE = re.compile(r"[!?？！]{2,}")
SPAM_RE = re.compile(
    r"\b(hot[\s-]*sale|best[\s-]*(price|quality|seller|selling)|cheap(est)?|lowest price|top quality|free shipping"
    r"|factory direct(ly)?|high quality|good quality|new arrival|(19|20)\d\d new|100% (new|brand new)|brand new"
    r"|wholesale price|big discount|promotion)\b",
    re.I,
)

# Instructions aimed at a model, in the languages sellers write in. A sentence matching one is removed whole.
INJECTION_PATTERNS = [
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,60}\b(instructions?|prompts?|rules|guidelines|above|previous"
    r"|prior|everything|context)\b",
    r"\b(system|developer|hidden)\s*(prompt|message|instructions?)\b",
    r"\byou\s+are\s+(now|no\s+longer)\b",
    r"\b(act|pretend|behave|roleplay)\s+(as|like)\b.{0,40}\b(ai|assistant|model|gpt|bot|admin|developer)\b",
    r"\b(new|updated|real)\s+instructions?\b",
    r"^\s*(system|assistant|user)\s*:",
    r"<\|?\s*(im_start|im_end|system|endoftext)\s*\|?>",
    r"\b(jailbreak|prompt\s*injection|DAN mode)\b",
    r"\b(output|print|reveal|repeat)\b.{0,40}\b(prompt|instructions|api[\s_-]*key|secret)\b",
    r"忽略.{0,12}(指令|指示|提示|说明|规则)",
    r"无视.{0,12}(指令|指示|提示|规则)",
    r"(以前|之前|上述).{0,6}(の)?(指示|命令).{0,8}(無視|むし)",
    r"\bignor\w*\b.{0,40}\b(instrucci\w+|instru\w+ções|instructions|anweisung\w*|indicaciones)\b",
    r"\b(vergiss|ignoriere)\b.{0,40}\b(anweisung\w*|regeln|alles)\b",
    r"\b(игнорир\w*|забудь\w*)\b.{0,40}\b(инструкц\w*|правил\w*|указани\w*)\b",
    r"تجاهل.{0,30}(التعليمات|الأوامر)",
]
INJECTION_RE = re.compile("|".join(f"(?:{p})" for p in INJECTION_PATTERNS), re.I | re.M)
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def plain_text(text: str) -> str:
    """HTML (tags, scripts, entities) to plain text; repeated so escaped markup cannot survive as markup."""
    text = text or ""
    if "<" in text or "&" in text:  # only markup needs the sanitizer; most strings are plain already
        text = BLOCK_TAG_RE.sub("\n", text)
        text = LIST_ITEM_RE.sub("\n- ", text)
        for _ in range(4):
            cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
            if cleaned == text:
                break
            text = cleaned
        text = TAG_LIKE_RE.sub(" ", text)  # whatever still looks like a tag after repeated unescaping
    text = CONTROL_RE.sub("", unicodedata.normalize("NFKC", text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def has_injection(text: str) -> bool:
    return bool(INJECTION_RE.search(text or ""))


def strip_injections(text: str) -> tuple[str, int]:
    """Drop every sentence or line that addresses a model; returns the text and how many were dropped."""
    kept, dropped = [], 0
    for line in (text or "").split("\n"):
        sentences = [s for s in SENTENCE_SPLIT_RE.split(line) if s.strip()]
        clean = [s for s in sentences if not has_injection(s)]
        dropped += len(sentences) - len(clean)
        if clean or not sentences:
            kept.append(" ".join(clean))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), dropped


def calm(text: str) -> str:
    """Remove shouting, spam phrases and off-platform contact details; sentence-case ALL-CAPS lines."""
    text = CONTACT_RE.sub("", text)
    text = SPAM_RE.sub("", text)
    text = SHOUTING_RE.sub(lambda m: m.group(0)[0], text)
    lines = []
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        if len(letters) > 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
            line = _sentence_case(line)
        line = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", line))
        line = re.sub(r"^[\s,;:.!-]+(?=\w)", "", line).strip()
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sentence_case(line: str) -> str:
    words = []
    for word in line.split(" "):
        # Keep codes and units (304, IP65, ABS, 18V) as written; lower-case ordinary words.
        words.append(word if any(c.isdigit() for c in word) or len(word) <= 3 else word.lower())
    out = " ".join(words)
    return out[:1].upper() + out[1:]
