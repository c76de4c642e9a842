"""The OpenAPI schema is complete and valid, and its documentation pages work offline (no CDN)."""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SUCCESS_WITHOUT_BODY = {"204", "304"}
# Actions whose POST carries nothing but the path: mark read, translate, (un)register for a live session.
POST_WITHOUT_BODY = ("/read/", "/translate/", "/register/", "/unregister/")


@pytest.fixture(scope="module")
def schema_document():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns any untyped field, body or path parameter into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_operation_is_fully_typed(schema_document):
    operations = [
        (path, method, operation)
        for path, item in schema_document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) >= 25
    for path, method, operation in operations:
        label = f"{method.upper()} {path}"
        for code, response in operation["responses"].items():
            if code in SUCCESS_WITHOUT_BODY:
                assert "content" not in response, label
                continue
            if code == "200" and set(response.get("content", {})) == {"application/octet-stream"}:
                continue  # a file download (an RFQ's spec sheet): bytes, not JSON
            schema = response["content"]["application/json"]["schema"]
            assert schema, f"{label} {code} has an untyped body"
            if code.startswith("4"):
                assert schema == {"$ref": "#/components/schemas/Error"}, label
        if method in ("post", "patch") and not (method == "post" and path.endswith(POST_WITHOUT_BODY)):
            body = operation["requestBody"]["content"]
            # JSON everywhere; an upload (a sourcing request's spec sheets) may also come as multipart.
            assert set(body) in ({"application/json"}, {"application/json", "multipart/form-data"}), label
            assert body["application/json"]["schema"], label
        for code in ("400", "401", "403", "429"):
            assert code in operation["responses"], f"{label} does not document {code}"


def test_schema_endpoint_serves_openapi_3(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/products/" in document["paths"]
    assert "jwtAuth" in document["components"]["securitySchemes"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_doc_pages_use_bundled_static_files(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_bundled_doc_assets_are_installed():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
