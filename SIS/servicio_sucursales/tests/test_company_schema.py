"""The published schema of the company settings says what the view does: typed fields, patterns, its refusals."""
import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/branches/schema/", HTTP_ACCEPT="application/json").json()


def component(schema, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def body_schema(schema, operation, where="requestBody"):
    content = operation[where]["content"] if where == "requestBody" else operation["responses"][where]["content"]
    return component(schema, content["application/json"]["schema"])


def test_company_answer_and_change_are_typed(schema):
    path = schema["paths"]["/api/branches/company/"]
    answer = body_schema(schema, path["get"], "200")
    assert set(answer["required"]) >= {"name", "currency", "prices_include_tax", "default_tax_rate", "return_days",
                                        "discount_limits", "cash_out_limit"}
    rate = answer["properties"]["default_tax_rate"]
    assert rate["type"] == "string" and re.fullmatch(rate["pattern"], "0.1800")
    assert not re.fullmatch(rate["pattern"], "1.01")
    limits = component(schema, answer["properties"]["discount_limits"])
    assert set(limits["required"]) == {"cashier", "manager"}
    change = body_schema(schema, path["patch"])
    assert "required" not in change
    patched_limits = component(schema, change["properties"]["discount_limits"])
    assert not patched_limits.get("required"), patched_limits
    assert change["properties"]["return_days"] == {"type": "integer", "minimum": 0, "maximum": 3650}
    assert {"400", "403"} <= set(path["patch"]["responses"])
    assert "put" not in path and "delete" not in path
