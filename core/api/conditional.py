"""Conditional GET (ETag / 304) for API detail views."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.cache import parse_etags, patch_vary_headers, quote_etag
from rest_framework import status
from rest_framework.response import Response


# ETag on detail responses; a matching If-None-Match gets 304 with no body. The tag hashes the representation
# itself (language and media type included), so it changes whenever anything shown changes (a price tier, a
# translation, a certificate), not only the row's updated_at. (A comment, not a docstring: the schema would
# show a docstring as every subclass's description.)
class ConditionalRetrieveMixin:
    def retrieve(self, request, *args, **kwargs):
        data = self.get_serializer(self.get_object()).data
        body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(f"{request.accepted_media_type}\n{body}".encode()).hexdigest()[:32]
        etag = quote_etag(digest)
        candidates = parse_etags(request.headers.get("If-None-Match", ""))
        if "*" in candidates or etag in [tag.removeprefix("W/") for tag in candidates]:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(data)
        response["ETag"] = etag
        # Revalidate every time: cheap with the ETag, and never stale after a seller edits.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response
