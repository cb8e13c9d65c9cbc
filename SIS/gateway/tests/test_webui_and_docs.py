"""The web UI shell and the API docs: served by the gateway, every asset local and present."""
import re

import pytest
from django.contrib.staticfiles import finders

# static imports and the screen modules the router imports on first visit
IMPORT = re.compile(r"""['"](\.{1,2}/[\w./-]+\.js)['"]""")


def ui_modules() -> list[str]:
    found, todo = set(), ["ui/app.js"]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        path = finders.find(name)
        assert path, f"missing static module {name}"
        base = name.rsplit("/", 1)[0]
        for target in IMPORT.findall(open(path, encoding="utf-8").read()):
            todo.append(_join(base, target))
    return sorted(found)


def _join(base: str, relative: str) -> str:
    parts = base.split("/")
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def test_shell_is_served_at_root_with_a_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert 'type="module"' in html and "/static/gateway/ui/app.js" in html
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_every_ui_module_imported_exists_and_nothing_comes_from_another_site():
    modules = ui_modules()
    assert len(modules) > 5
    for name in [*modules, "ui/style.css"]:
        text = open(finders.find(name), encoding="utf-8").read()
        assert not re.search(r"""(src|href|url|from|import)\s*[(=]?\s*['"]?(https?:)?//""", text), name


def test_ui_dictionaries_have_the_same_keys_each_once():
    keys = {}
    for lang in ("es", "en"):
        text = open(finders.find(f"ui/i18n/{lang}.js"), encoding="utf-8").read()
        found = re.findall(r'^\s*"([\w.]+)":', text, re.M)
        # a key written twice keeps only its last phrase, silently
        assert len(found) == len(set(found)), sorted({k for k in found if found.count(k) > 1})
        keys[lang] = set(found)
    assert keys["es"] == keys["en"]
    assert len(keys["es"]) > 50


def test_docs_page_uses_local_swagger_assets_and_lists_every_schema(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for asset in ("swagger-ui-dist/swagger-ui.css", "swagger-ui-dist/swagger-ui-bundle.js",
                  "swagger-ui-dist/swagger-ui-standalone-preset.js"):
        assert f"/static/gateway/drf_spectacular_sidecar/{asset}" in html
        assert finders.find(f"drf_spectacular_sidecar/{asset}")
    assert finders.find("edge/swagger-init.js")
    for api in ("auth", "branches", "inventory", "sales"):
        assert f"/api/docs/schema/{api}/" in html


@pytest.mark.usefixtures("dead_upstreams")
def test_schema_of_a_dead_service_is_a_json_503(client):
    response = client.get("/api/docs/schema/sales/")
    assert response.status_code == 503
    assert response.json()["service"] == "ventas"
