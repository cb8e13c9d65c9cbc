"""Tokens that must be refused with a JSON 401: here, and in every service through sis_common's authentication."""
import pytest
from django.conf import settings
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from sis_common.auth.authentication import StatelessJWTAuthentication
from sis_common.auth.permissions import ReadAnyWriteRoles
from sis_common.testing.forged import claims, rejected_tokens, sign

PRIVATE = settings.SIMPLE_JWT["SIGNING_KEY"]
PUBLIC = settings.SIMPLE_JWT["VERIFYING_KEY"]
FORGED = rejected_tokens(PRIVATE, PUBLIC, user_id=1, role="cashier", branches=[1])


class StatelessProbe(APIView):
    """What every other service runs: the shared stateless authentication and a role permission."""

    authentication_classes = [StatelessJWTAuthentication]
    permission_classes = [ReadAnyWriteRoles]

    def get(self, request):
        return Response({"id": request.user.id, "role": request.user.role, "branches": sorted(request.user.branches)})


def stateless_get(authorization: str | None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    response = StatelessProbe.as_view()(APIRequestFactory().get("/probe/", **headers))
    response.render()
    return response


def test_a_good_token_passes_the_stateless_check_without_the_database():
    response = stateless_get(f"Bearer {sign(claims(user_id=7, role='cashier', branches=[4]), PRIVATE)}")
    assert response.status_code == 200
    assert response.data == {"id": 7, "role": "cashier", "branches": [4]}


@pytest.mark.parametrize("name", sorted(FORGED))
def test_forged_token_is_401_json_in_a_stateless_service(name):
    response = stateless_get(f"Bearer {FORGED[name]}")
    assert response.status_code == 401, name
    assert response["Content-Type"].startswith("application/json")
    assert response.data["code"] == "token_not_valid"
    assert isinstance(response.data["detail"], str)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORGED))
def test_forged_token_is_401_json_at_the_auth_service(name, client):
    response = client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {FORGED[name]}")
    assert response.status_code == 401, name
    body = response.json()
    assert body["code"] == "token_not_valid" and body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer a b", "Basic YWRtaW46YWRtaW4=", "Token abc"])
def test_missing_or_malformed_header_is_401_json(authorization, client):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    response = client.get("/api/auth/me/", **headers)
    assert response.status_code == 401
    assert response.json()["code"] in {"not_authenticated", "bad_authorization_header"}


@pytest.mark.django_db
def test_valid_signature_for_a_user_that_does_not_exist_is_401(client):
    token = sign(claims(user_id=987654321, role="admin"), PRIVATE)
    response = client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"
