"""Reads on accounts that pages, the API and tasks share."""

from .models import User


def account_get(*, user: User) -> User:
    """The signed-in user with their buyer profile (None for sellers), in one query."""
    return User.objects.select_related("buyer_profile").get(pk=user.pk)
