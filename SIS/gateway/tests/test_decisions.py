"""The edge's token check as nginx asks it: 204 or a 401 naming why, and how long nginx may reuse it."""
import pytest
from django.test import Client

from sis_common.testing.tokens import access_token, auth_header


def ask(**headers):
    return Client().get("/__edge/auth", **headers)


def test_a_valid_token_passes_for_the_decision_bound(settings):
    settings.EWTTO_EDGE_DECISION_SECONDS = 5
    response = ask(**auth_header(role="cashier", branches=[3]))
    assert response.status_code == 204
    assert response["X-Accel-Expires"] == "5"
    assert not response.has_header("X-Edge-Code")


def test_a_token_about_to_expire_is_reused_only_until_the_services_stop_taking_it(settings):
    settings.EWTTO_EDGE_DECISION_SECONDS = 5
    leeway = settings.SIMPLE_JWT["LEEWAY"]
    # expired 3 s ago: the leeway lets it pass for about leeway - 3 seconds more
    response = ask(HTTP_AUTHORIZATION=f"Bearer {access_token(lifetime=-3)}")
    assert response.status_code == 204
    assert int(response["X-Accel-Expires"]) <= leeway - 3
    # within its last second: nginx must not keep the decision at all
    response = ask(HTTP_AUTHORIZATION=f"Bearer {access_token(lifetime=-leeway)}")
    assert response.status_code in (204, 401)
    assert response["X-Accel-Expires"] == "0" or response.status_code == 401


@pytest.mark.parametrize("header, code", [
    (None, "not_authenticated"),
    ("Basic eDp5", "not_authenticated"),
    ("Bearer x.y.z", "token_not_valid"),
    ("Bearer a b", "bad_authorization_header"),
])
def test_a_missing_or_bad_token_is_refused_naming_why(header, code):
    response = ask(**({"HTTP_AUTHORIZATION": header} if header else {}))
    assert response.status_code == 401
    assert response["X-Edge-Code"] == code
    assert response["X-Edge-Detail"] and '"' not in response["X-Edge-Detail"]


def test_an_expired_or_refresh_token_is_refused():
    expired = ask(HTTP_AUTHORIZATION=f"Bearer {access_token(lifetime=-60)}")
    assert expired.status_code == 401
    assert expired["X-Edge-Detail"] == "Token is expired."
    refresh = ask(HTTP_AUTHORIZATION=f"Bearer {access_token(token_type='refresh')}")
    assert refresh.status_code == 401
    assert refresh["X-Edge-Detail"] == "Token has wrong type."


def test_a_refusal_is_reused_for_the_decision_bound(settings):
    settings.EWTTO_EDGE_DECISION_SECONDS = 7
    assert ask(HTTP_AUTHORIZATION="Bearer x.y.z")["X-Accel-Expires"] == "7"
