"""Plumbing every /api/v1/ endpoint shares. `exceptions` and `schema` import rest_framework.views, which loads DRF's
settings that point back at this package: keep those two apart from the modules they import."""
