"""GET /internal/branches/{id}/: the other services' branch check, behind the internal token."""
import os

import pytest
from rest_framework.test import APIClient

from sis_common.clients import INTERNAL_TOKEN_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal():
    client = APIClient()
    client.credentials(**{f"HTTP_{INTERNAL_TOKEN_HEADER.upper().replace('-', '_')}": os.environ["EWTTO_INTERNAL_TOKEN"]})
    return client


def test_internal_answers_code_and_active_flag(admin_client, internal):
    branch = admin_client.post("/api/branches/", {"code": "INT01", "name": "Interna"}, format="json").json()
    body = internal.get(f"/internal/branches/{branch['id']}/").json()
    assert body == {"id": branch["id"], "code": "INT01", "name": "Interna", "is_active": True}
    admin_client.delete(f"/api/branches/{branch['id']}/")
    assert internal.get(f"/internal/branches/{branch['id']}/").json()["is_active"] is False


def test_internal_unknown_branch_is_404(internal):
    response = internal.get("/internal/branches/987654/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_internal_needs_the_internal_token(admin_client):
    branch = admin_client.post("/api/branches/", {"code": "INT02", "name": "Interna"}, format="json").json()
    assert APIClient().get(f"/internal/branches/{branch['id']}/").status_code == 403
    # a user token is not an internal token
    assert admin_client.get(f"/internal/branches/{branch['id']}/").status_code == 403
    wrong = APIClient()
    wrong.credentials(HTTP_X_INTERNAL_TOKEN="wrong")
    assert wrong.get(f"/internal/branches/{branch['id']}/").status_code == 403


def test_out_of_range_ids_are_404(admin_client, internal):
    huge = "9" * 30
    assert internal.get(f"/internal/branches/{huge}/").status_code == 404
    assert admin_client.get(f"/api/branches/{huge}/").status_code == 404
