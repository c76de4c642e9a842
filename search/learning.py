"""The search log learns: phrases buyers search whose clicks land on products that do not contain them are synonym
candidates ("充电砖" clicked through to listings titled "Power Bank" means 充电砖 is a power bank).

Reads only; search.services.synonym_candidates_mine stores what this proposes. "Does not contain" is decided by the
search backend itself (SearchBackend.match on the clicked products' documents, with every alternative the query
parser gives a word: its glossary canonicals, its spelling correction, its stemming per language), so a candidate
is exactly a phrase search could not connect to what the buyer wanted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from marketplace.models import Product, ProductTranslation

from . import glossary
from .backends import get_backend
from .glossary import key
from .models import ProductSearchDocument, SearchClick, SearchTab
from .query import ParsedQuery, parse_query
from .text import _is_cjk, words

EXAMPLE_PRODUCTS = 5


@dataclass(frozen=True)
class SynonymProposal:
    term: str  # glossary.key of the words search did not connect to the clicked products
    language: str
    canonical: str  # English phrase from the clicked products
    category_id: int | None
    searches: int
    clicks: int
    products: int
    example_product_ids: tuple[int, ...]


@dataclass
class _Query:
    parsed: ParsedQuery
    clicks: list[tuple[int, int]]  # (log id, product id), one per search and product (SearchClick's constraint)


def _phrase(texts: list[str]) -> str:
    """Group texts as one glossary key: CJK words joined without a space, as the buyer wrote them."""
    out = ""
    for text in texts:
        joined_cjk = out and _is_cjk(out[-1]) and _is_cjk(text[:1])
        out += text if not out or joined_cjk else " " + text
    return key(out)


def _concept_in(title: str) -> str | None:
    """The longest vocabulary product noun a title uses, by the glossary's English product entries ("Portable Power
    Bank 20000mAh" -> "Power Bank")."""
    title_words = words(title)
    for size in range(min(glossary.longest_key_words(), len(title_words)), 0, -1):
        for start in range(len(title_words) - size + 1):
            span = " ".join(title_words[start : start + size])
            nouns = [e.canonical for e in glossary.lookup(span) if e.kind == "product" and e.language == "en"]
            # The noun the span names itself before a noun that only lists it as a keyword or synonym.
            named = [noun for noun in nouns if key(noun) == span]
            if named or nouns:
                return (named or nouns)[0]
    return None


def _targets(product_ids, clicks_by_product: Counter) -> tuple[str, int | None]:
    """The English phrase and the category the clicked products share: the vocabulary product noun found in most of
    the clicks' titles (English title or translation), else the most clicked category's name."""
    products = {
        pk: (title, category_id, category_name)
        for pk, title, category_id, category_name in Product.objects.filter(pk__in=product_ids).values_list(
            "pk", "title", "category_id", "category__name"
        )
    }
    english = defaultdict(list)
    for product_id, title in ProductTranslation.objects.filter(product_id__in=product_ids, language="en").values_list(
        "product_id", "title"
    ):
        english[product_id].append(title)
    concepts: Counter = Counter()
    categories: Counter = Counter()
    names: dict[int, str] = {}
    for pk, (title, category_id, category_name) in products.items():
        weight = clicks_by_product[pk]
        found = next((c for c in map(_concept_in, [title, *english[pk]]) if c), None)
        if found:
            concepts[found] += weight
        categories[category_id] += weight
        names[category_id] = category_name
    top_category = min(categories, key=lambda c: (-categories[c], c)) if categories else None
    if concepts:
        # Most clicks first, then the longer (more specific) noun, then alphabetical: the same answer every run.
        best = min(concepts, key=lambda c: (-concepts[c], -len(c), c))
        return best, top_category
    return (names.get(top_category, "") if top_category is not None else "", top_category)


def synonym_proposals(*, days: int | None = None, now=None) -> list[SynonymProposal]:
    """Over the last `days` (settings.SEARCH_LEARNING_DAYS) of product-result clicks, per query (its text words as
    the parser reads them, in the language it was searched in): the words that none of the clicked products
    matched, when clicks on such products reach SEARCH_LEARNING_MIN_CLICKS over SEARCH_LEARNING_MIN_SEARCHES
    searches. A bounded number of queries per run (SEARCH_LEARNING_MAX_QUERIES, most clicked first)."""
    now = now or timezone.now()
    since = now - timedelta(days=days or settings.SEARCH_LEARNING_DAYS)
    min_clicks, min_searches = settings.SEARCH_LEARNING_MIN_CLICKS, settings.SEARCH_LEARNING_MIN_SEARCHES
    rows = (
        SearchClick.objects.filter(created_at__gte=since, log__tab=SearchTab.PRODUCTS)
        .order_by("-created_at")
        .values_list("log_id", "log__query", "log__language", "product_id")[: settings.SEARCH_LEARNING_MAX_CLICKS]
    )
    parsed_by_text: dict[tuple[str, str], ParsedQuery] = {}
    queries: dict[tuple[str, tuple[str, ...]], _Query] = {}
    for log_id, text, language, product_id in rows:
        parsed = parsed_by_text.get((text, language))
        if parsed is None:
            parsed = parsed_by_text[text, language] = parse_query(text, language=language, translate=False)
        if not parsed.groups:
            continue
        query = queries.setdefault((language, tuple(g.text for g in parsed.groups)), _Query(parsed, []))
        query.clicks.append((log_id, product_id))
    eligible = [
        q for q in queries.values() if len(q.clicks) >= min_clicks and len({log for log, _ in q.clicks}) >= min_searches
    ]
    eligible = sorted(eligible, key=lambda q: -len(q.clicks))[: settings.SEARCH_LEARNING_MAX_QUERIES]
    indexed = set(
        ProductSearchDocument.objects.filter(
            product_id__in={product for q in eligible for _, product in q.clicks}
        ).values_list("product_id", flat=True)
    )
    backend = get_backend()
    proposals = []
    for query in eligible:
        # Only products still in the index can say whether they contain the words.
        clicks = [(log, product) for log, product in query.clicks if product in indexed]
        product_ids = {product for _, product in clicks}
        if not product_ids:
            continue
        documents = ProductSearchDocument.objects.filter(product_id__in=product_ids)
        groups = query.parsed.groups
        matched = [
            set(backend.match(documents, [group], require_all=True).values_list("product_id", flat=True))
            for group in groups
        ]
        # A clicked product that lacks some of the words, and the words that none of those products has.
        lacking = {p for p in product_ids if any(p not in m for m in matched)}
        unmatched = [g.text for g, m in zip(groups, matched, strict=True) if not m & lacking]
        evidence = [(log, product) for log, product in clicks if product in lacking]
        searches = len({log for log, _ in evidence})
        term = _phrase(unmatched) if unmatched else ""
        if not term or len(evidence) < min_clicks or searches < min_searches or len(term) > 100:
            continue
        clicks_by_product = Counter(product for _, product in evidence)
        canonical, category_id = _targets(lacking, clicks_by_product)
        if not key(canonical) or key(canonical) == term:
            continue
        proposals.append(
            SynonymProposal(
                term=term,
                language=query.parsed.language,
                canonical=canonical[:200],
                category_id=category_id,
                searches=searches,
                clicks=len(evidence),
                products=len(lacking),
                example_product_ids=tuple(p for p, _ in clicks_by_product.most_common(EXAMPLE_PRODUCTS)),
            )
        )
    # Two queries can leave the same words unmatched ("充电砖" and "充电砖 红色"): the better-evidenced one speaks.
    best: dict[tuple[str, str], SynonymProposal] = {}
    for proposal in sorted(proposals, key=lambda p: (-p.clicks, -p.searches, p.canonical)):
        best.setdefault((proposal.term, proposal.language), proposal)
    return list(best.values())
