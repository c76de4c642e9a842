"""Checks that the seeded demo data agrees with itself, over every supplier, title, board and certificate.

Each check returns a list of human-readable violations (empty: coherent). test_demo_coherence.py asserts them on a
freshly seeded database; they also run against any demo database (e.g. `manage.py shell`) to count what is wrong:

    from tests.demo import coherence; print({name: len(check()) for name, check in coherence.CHECKS.items()})

The words a title may repeat and the contradicting attribute phrases come from the seed data (demo/data); which
trade a supplier name says comes from demo.catalog.trade_of, so a name means the same here as on the pages.
"""

import re
from collections import Counter, defaultdict

from django.utils import timezone

from demo import catalog
from marketplace.models import Product, ProductAttribute, ProductStatus, ProductTranslation
from rankings.models import Entry, Snapshot
from rankings.selectors import supplier_rank_history
from suppliers.models import Certification, ProductionCapacity, Supplier, VerificationLevel
from taxonomy.models import Category

DEMO = {"supplier__slug__startswith": "demo-"}
LETTERS = re.compile(r"[^\W\d_]+")
# Every word a variant or attribute value of the demo catalog uses: a translated title may repeat its own language's
# small words ("Botella de agua de vidrio"), never one of these.
ATTRIBUTE_WORDS = (
    frozenset(
        word.casefold()
        for top in catalog.CATEGORIES
        for leaf in top["children"]
        for template in leaf["products"]
        for text in [*template["variants"], *(str(v) for a in template["attributes"] for v in a["values"])]
        for word in LETTERS.findall(text)
        if len(word) > 1
    )
    - catalog.UNIT_WORDS
    - catalog.JOINING_WORDS
)


def _words(title):
    return [
        w.casefold()
        for w in LETTERS.findall(title)
        if len(w) > 1 and w.casefold() not in catalog.UNIT_WORDS and w.casefold() not in catalog.JOINING_WORDS
    ]


def _leaves_under():
    """category id -> the leaf slugs at or under it."""
    categories = list(Category.objects.values_list("pk", "slug", "parent_id"))
    children = defaultdict(list)
    for pk, _slug, parent in categories:
        children[parent].append(pk)
    slug_of = {pk: slug for pk, slug, _ in categories}
    result = {}
    for pk, _slug, _parent in categories:
        stack, leaves = [pk], set()
        while stack:
            node = stack.pop()
            if children[node]:
                stack.extend(children[node])
            else:
                leaves.add(slug_of[node])
        result[pk] = leaves
    return result


def _single_trade(categories):
    return any(set(categories) <= set(trade["categories"]) for trade in catalog.TRADES)


# --- suppliers ---------------------------------------------------------------------------------------------------


def supplier_names():
    """A name naming a trade: most of the supplier's products, and all its declared product lines, are in that
    trade's categories. A name naming none: the supplier's product lines span trades."""
    products = defaultdict(Counter)
    for supplier_id, slug in Product.objects.filter(**DEMO).values_list("supplier_id", "category__slug"):
        products[supplier_id][slug] += 1
    lines = defaultdict(set)
    for supplier_id, slug in ProductionCapacity.objects.filter(**DEMO).values_list("supplier_id", "category__slug"):
        lines[supplier_id].add(slug)
    problems = []
    for supplier in Supplier.objects.filter(slug__startswith="demo-").order_by("slug"):
        trade = catalog.trade_of(supplier.name)
        counts = products[supplier.pk]
        if trade is None:
            if lines[supplier.pk] and _single_trade(lines[supplier.pk]):
                problems.append(
                    f"{supplier.name}: no trade in its name, but it only makes {sorted(lines[supplier.pk])}"
                )
            continue
        fitting = sum(n for slug, n in counts.items() if slug in trade["categories"])
        if counts and fitting * 2 <= sum(counts.values()):
            problems.append(f"{supplier.name}: {fitting} of {sum(counts.values())} products are {trade['name']}")
        outside = lines[supplier.pk] - set(trade["categories"])
        if outside:
            problems.append(f"{supplier.name}: declares product lines outside {trade['name']}: {sorted(outside)}")
    return problems


def product_lines():
    """Every product is in one of its supplier's declared product lines (production capacities)."""
    lines = set(ProductionCapacity.objects.filter(**DEMO).values_list("supplier_id", "category_id"))
    return [
        f"{title} ({slug}) by {name}: not one of its supplier's product lines"
        for supplier_id, category_id, title, slug, name in Product.objects.filter(**DEMO).values_list(
            "supplier_id", "category_id", "title", "category__slug", "supplier__name"
        )
        if (supplier_id, category_id) not in lines
    ]


# --- titles ------------------------------------------------------------------------------------------------------


def _title_problems(title, *, english):
    problems = []
    tokens = [token.casefold() for token in title.split()]
    problems += [f"{title!r}: {a!r} twice in a row" for a, b in zip(tokens, tokens[1:], strict=False) if a == b]
    words = _words(title)
    repeated = sorted(w for w, n in Counter(words).items() if n > 1 and (english or w in ATTRIBUTE_WORDS))
    if repeated:
        problems.append(f"{title!r}: repeats {repeated}")
    problems += [f"{title!r}: {a!r} and {b!r}" for a, b in catalog.contradictions(title)]
    return problems


def titles():
    """No title, in any language, repeats a word (twice in a row, or an attribute word anywhere) or carries a
    contradicting pair of attribute phrases."""
    problems = []
    for title in Product.objects.filter(external_id__startswith="demo-").values_list("title", flat=True):
        problems += _title_problems(title, english=True)
    for title in ProductTranslation.objects.filter(product__external_id__startswith="demo-").values_list(
        "title", flat=True
    ):
        problems += _title_problems(title, english=False)
    return problems


def product_attributes():
    """A product's title and its attributes ("Name: value unit") together carry no contradicting pair."""
    attributes = defaultdict(list)
    for product_id, name, value, unit in ProductAttribute.objects.filter(
        product__external_id__startswith="demo-"
    ).values_list("product_id", "name", "value", "unit"):
        attributes[product_id].append(f"{name}: {value} {unit}".strip())
    problems = []
    for pk, title in Product.objects.filter(external_id__startswith="demo-").values_list("pk", "title"):
        problems += [
            f"{title!r} with {attributes[pk]}: {a!r} and {b!r}"
            for a, b in catalog.contradictions(title, *attributes[pk])
        ]
    return problems


# --- leaderboards ------------------------------------------------------------------------------------------------


def leaders():
    """The leader of every published board sells in the board's category, and a trade in its name (as the board
    shows it) is a trade of that category."""
    leaves_under = _leaves_under()
    sells = defaultdict(set)
    for supplier_id, slug in (
        Product.objects.filter(status=ProductStatus.PUBLISHED).values_list("supplier_id", "category__slug").distinct()
    ):
        sells[supplier_id].add(slug)
    problems = []
    for entry in Entry.objects.filter(rank=1).select_related("snapshot__leaderboard__category"):
        leaderboard = entry.snapshot.leaderboard
        category = leaderboard.category
        where = f"{leaderboard.get_board_display()} — {category.name} ({entry.snapshot.period})"
        leaves = leaves_under[category.pk]
        if not sells[entry.supplier_id] & leaves:
            problems.append(f"{where}: led by {entry.supplier_name}, which sells nothing there")
        trade = catalog.trade_of(entry.supplier_name)
        if trade is not None and not set(trade["categories"]) & leaves:
            problems.append(f"{where}: led by {entry.supplier_name} ({trade['name']})")
    return problems


def rank_history(minimum=2):
    """Every board has been published for at least `minimum` weeks, and ranked suppliers have a history."""
    problems = []
    periods = Counter(Snapshot.objects.values_list("leaderboard_id", flat=True))
    short = sum(1 for n in periods.values() if n < minimum)
    if not periods or short:
        problems.append(f"{short} of {len(periods)} boards have fewer than {minimum} published weeks")
    latest = Snapshot.objects.order_by("-period").values_list("period", flat=True).first()
    current = Entry.objects.filter(snapshot__period=latest)
    if not current.filter(previous_rank__isnull=False).exists():
        problems.append(f"no entry of {latest} has a previous rank")
    leader = current.order_by("rank", "pk").first()
    if leader is not None:
        series = supplier_rank_history(supplier=leader.supplier)
        if not any(len(item["points"]) >= minimum for item in series):
            problems.append(f"{leader.supplier_name}'s rank history has no series of {minimum} points")
    return problems


# --- verification ------------------------------------------------------------------------------------------------


def certificates():
    """A certificate shown as verified has its document, was checked while valid, and not in the future."""
    now = timezone.now()
    problems = []
    for cert in Certification.objects.filter(supplier__slug__startswith="demo-", verified_at__isnull=False):
        label = f"{cert} of {cert.supplier_id}"
        if not cert.document:
            problems.append(f"{label}: verified without a document")
        elif not cert.document.storage.exists(cert.document.name):
            problems.append(f"{label}: its document {cert.document.name} is missing")
        checked = timezone.localdate(cert.verified_at)
        if cert.verified_at > now or not cert.valid_from <= checked <= cert.valid_until:
            problems.append(f"{label}: verified on {checked}, valid {cert.valid_from} to {cert.valid_until}")
    return problems


def supplier_verification():
    """A verified supplier records who verified it and when."""
    return [
        f"{supplier.name}: {supplier.verification_level} without a verifier and date"
        for supplier in Supplier.objects.filter(slug__startswith="demo-").exclude(
            verification_level=VerificationLevel.UNVERIFIED
        )
        if supplier.verified_at is None or supplier.verified_by_id is None
    ]


CHECKS = {
    "supplier_names": supplier_names,
    "product_lines": product_lines,
    "titles": titles,
    "product_attributes": product_attributes,
    "leaders": leaders,
    "rank_history": rank_history,
    "certificates": certificates,
    "supplier_verification": supplier_verification,
}
