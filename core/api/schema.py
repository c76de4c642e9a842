"""The OpenAPI schema class (every operation documents the error responses it can give, in the one shape) and the
schema postprocessing hook for what the serializers cannot say."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer


class SilkwayAutoSchema(AutoSchema):
    """Documents the error responses every operation can give, in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self._get_response_for_code(ErrorSerializer, "400")
        method = self.method.upper()
        codes = {
            "400": "Invalid input or query parameters; `errors` names each offending field.",
            "401": "Missing, invalid or expired credentials.",
            "403": "Signed in, but not allowed to do this.",
            "429": "Too many requests; retry after the `Retry-After` header's seconds.",
        }
        if "{" in self.path:
            codes["404"] = "No such object, or not yours."
        if method in ("POST", "PUT", "PATCH"):
            codes["415"] = "The body must be JSON."
        for code, description in codes.items():
            if code not in responses:
                responses[code] = {**error, "description": description}
        return responses


def not_modified_response():
    return OpenApiResponse(description="Not modified: the `If-None-Match` ETag still matches.")


NO_NUL = "^[^\\u0000]*$"
# The same, for a string that may not be blank: DRF trims whitespace first (Python's str.strip()), so it needs one
# other character. JSON Schema's \s is ECMAScript's, which leaves out U+001C-U+001F and U+0085: excluded by name.
NO_NUL_NOT_BLANK = "^[^\\u0000]*[^\\u0000\\s\\u001c-\\u001f\\u0085][^\\u0000]*$"


def strings_without_nul(result, generator, request, public):
    """DRF refuses a NUL character in every string field it reads (400 `null_characters_not_allowed`): the schema
    says so for each free string a client sends (request bodies and parameters, not responses), so clients and
    schemathesis know the rule instead of meeting it. A string that may not be blank (minLength) also needs a
    character that is not whitespace: DRF trims it before checking."""

    def visit(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and not {"pattern", "format", "enum"} & node.keys():
                node["pattern"] = NO_NUL_NOT_BLANK if node.get("minLength", 0) >= 1 else NO_NUL
            elif node.get("format") == "decimal" and str(node.get("pattern", "")).startswith("^-?\\d{0,"):
                # drf-spectacular's decimal pattern also matches "", "-" and ".", which DRF refuses: one digit needed.
                node["pattern"] = "^-?(?=\\.?\\d)" + node["pattern"][len("^-?") :]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the request side of each serializer
            visit(schema)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                visit(operation.get("parameters", []))
    return result
