"""Shared plumbing that imports no Silkway app: the API's error shape, pagination, throttles, fields, filters and
schema helpers. Apps import it; it imports none of them (an import-linter contract in `make lint`)."""
