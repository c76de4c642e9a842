"""Recently viewed products, kept in a signed cookie: no session row or database write on the busiest page, and it
works for visitors who never sign in."""

COOKIE = "recently_viewed"
SALT = "marketplace.recently_viewed"
KEEP = 12
MAX_AGE = 90 * 24 * 3600


def product_ids(request) -> list[int]:
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=MAX_AGE)
    return [int(part) for part in value.split(",") if part.isdigit()][:KEEP]


def remember(request, response, product_id: int) -> None:
    """Put a product first in the visitor's list (once), keeping the last KEEP."""
    ids = [product_id, *(pk for pk in product_ids(request) if pk != product_id)][:KEEP]
    response.set_signed_cookie(
        COOKIE, ",".join(map(str, ids)), salt=SALT, max_age=MAX_AGE, httponly=True, samesite="Lax"
    )
