"""Methods an endpoint does not serve answer a JSON 405 with Allow: from Django, DRF and every nginx, TRACE included."""
import pytest
import requests

from sales_support import TIMEOUT, token

SLUGS = ("gateway", "auth", "sucursales", "inventario", "ventas", "compras", "clientes")


def assert_json_405(answer, allow: set | None = None):
    assert answer.status_code == 405, (answer.status_code, answer.text[:200])
    assert answer.headers["Content-Type"].startswith("application/json"), answer.headers
    assert answer.json()["code"] == "method_not_allowed" and answer.json()["detail"]
    allowed = {m.strip() for m in answer.headers["Allow"].split(",")}
    if allow is not None:
        assert allowed == allow, allowed


@pytest.mark.parametrize("slug", SLUGS)
def test_trace_is_a_json_405_from_every_nginx(stack, slug):
    base = f"http://127.0.0.1:{stack.nginx_port(slug)}"
    for path in ("/health", "/api/auth/me/", "/api/sales/", f"/static/{slug}/nothing.css"):
        assert_json_405(requests.request("TRACE", f"{base}{path}", timeout=TIMEOUT))


def test_a_static_file_refuses_post_with_json(stack):
    answer = requests.post(f"{stack.url()}/static/gateway/ui/app.js", timeout=TIMEOUT)
    assert_json_405(answer)


def test_plain_django_views_answer_a_json_405_with_their_allow(stack):
    for path in ("/health", "/api/docs/", "/api/docs/schema/sales/", "/api/sales/health/"):
        assert_json_405(requests.post(f"{stack.url()}{path}", timeout=TIMEOUT))
    assert_json_405(requests.delete(f"{stack.url()}/health", timeout=TIMEOUT), {"GET", "HEAD"})


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("DELETE", "/api/sales/", {"GET", "POST", "HEAD", "OPTIONS"}),
    ("PUT", "/api/inventory/movements/", {"GET", "POST", "HEAD", "OPTIONS"}),
    ("QUERY", "/api/branches/", {"GET", "POST", "HEAD", "OPTIONS"}),
    ("PATCH", "/api/auth/me/", {"GET", "HEAD", "OPTIONS"}),
])
def test_api_views_answer_a_json_405_with_exactly_their_methods(stack, method, path, allow):
    headers = {"Authorization": f"Bearer {token(stack, role='admin')}"}
    assert_json_405(requests.request(method, f"{stack.url()}{path}", headers=headers, timeout=TIMEOUT), allow)
