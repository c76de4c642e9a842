"""SQLite (the embedded default): an FTS5 table `marketplace_search_fts` (title, keywords, body; rowid = product
id) created by migration 0005 only on SQLite. Text is folded (diacritics removed), CJK-segmented and snowball-
stemmed per language in Python before it is stored, and queries go through the same steps, so FTS5 itself only
splits on spaces (`unicode61 remove_diacritics 2` as a second line of defence). bm25 weights the columns 10/4/1."""

from difflib import get_close_matches

from django.db import connection
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from ..models import SearchTerm
from ..query import cjk_bigram_alternative
from ..text import CJK_LANGUAGES, index_tokens, stem, stemmed_text
from .base import SearchBackend

FTS = "marketplace_search_fts"
COLUMNS = {"A": 0, "B": 1, "C": 2}
# bm25 is unbounded; k maps it into [0, 1) like PostgreSQL's normalization 32 does for ts_rank.
BM25_K = 8.0


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(SearchBackend):
    name = "sqlite"

    def write(self, documents):
        rows = []
        for document in documents:
            columns = [[], [], []]
            for language, weight, text in document.segments:
                columns[COLUMNS[weight]].append(stemmed_text(text, language))
            rows.append((document.product_id, *("\n".join(c) for c in columns)))
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(r[0],) for r in rows])
                cursor.executemany(f"INSERT INTO {FTS} (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)", rows)

    def delete(self, product_ids):
        ids = [(pk,) for pk in product_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", ids)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")

    # FTS5 flushes a new index segment whenever its pending terms fill `hashsize` (1 MB), and merging those many
    # small segments dominates a full rebuild. Flush in 64 MB pieces during the load and merge once at the end.
    def bulk_load_start(self):
        with connection.cursor() as cursor:
            # SQLite's default page cache is 2 MB: merging FTS5 segments then rereads them through the kernel.
            cursor.execute("PRAGMA cache_size = -262144")
            cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('hashsize', 67108864)")
            cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('automerge', 0)")

    def bulk_load_end(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
            cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('automerge', 4)")
            cursor.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('hashsize', 1048576)")
            cursor.execute("PRAGMA cache_size = -2000")

    def expression(self, groups, *, require_all):
        """An FTS5 MATCH string. Every token is a quoted string, so no user input is ever FTS5 syntax."""
        sql_groups = []
        for group in groups:
            alternatives = []
            for alternative in group.alternatives:
                variants = [alternative]
                bigram = cjk_bigram_alternative(alternative)
                if bigram:
                    variants.append(bigram)
                for variant in variants:
                    tokens = []
                    for word in variant.tokens:
                        for token in index_tokens(word) if variant.language not in CJK_LANGUAGES else [word]:
                            tokens.append(_quote(stem(token, variant.language)))
                    if tokens:
                        alternatives.append("(" + " AND ".join(tokens) + ")")
            if alternatives:
                sql_groups.append("(" + " OR ".join(dict.fromkeys(alternatives)) + ")")
        return (" AND " if require_all else " OR ").join(sql_groups)

    def match(self, queryset, groups, *, require_all):
        expression = self.expression(groups, require_all=require_all)
        if not expression:
            return queryset.none().annotate(text_rank=RawSQL("0.0", [], output_field=FloatField()))
        bm25 = f"(-bm25({FTS}, 10.0, 4.0, 1.0))"
        return queryset.extra(
            tables=[FTS],
            where=[f"{FTS}.rowid = {self.doc_table}.product_id", f"{FTS} MATCH %s"],
            params=[expression],
        ).annotate(text_rank=RawSQL(f"({bm25} / ({BM25_K} + {bm25}))", [], output_field=FloatField()))

    def suggest(self, word):
        if len(word) < 3:
            return None
        candidates = list(
            SearchTerm.objects.filter(term__startswith=word[0], term__regex=rf"^.{{{len(word) - 2},{len(word) + 2}}}$")
            .exclude(term=word)
            .order_by("-frequency")
            .values_list("term", flat=True)[:5000]
        )
        close = get_close_matches(word, candidates, n=1, cutoff=0.8)
        return close[0] if close else None
