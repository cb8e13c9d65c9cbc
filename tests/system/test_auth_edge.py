"""Security through the gateway on a whole stack: the edge token check, the token life cycle,
role and branch scopes in every service, sign-in lockout and the admins' single sign-on."""
from __future__ import annotations

import re
import uuid

import jwt
import pytest
import requests

from sis_common.mariadb import replication
from sis_common.testing.forged import rejected_tokens

TIMEOUT = 20
PASSWORD = "Prueba-de-sistema-2024"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVICE_PATHS = {"auth": "/api/auth/me/", "sucursales": "/api/branches/", "inventario": "/api/inventory/products/",
                 "ventas": "/api/sales/", "compras": "/api/purchasing/suppliers/", "clientes": "/api/customers/"}


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def address() -> str:
    """A client address of its own, so lockouts and rate limits never spill between tests.

    Any 127.x.y.z is this machine's loopback: a client bound to one really connects from
    it, which is the only address the gateway's nginx believes (a sent X-Forwarded-For is not).
    """
    n = uuid.uuid4().int
    return f"127.{n % 250 + 1}.{n // 250 % 250}.{n // 62500 % 250 + 1}"


class SourceAddress(requests.adapters.HTTPAdapter):
    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(source: str | None = None) -> requests.Session:
    """A session whose connections come from `source` (a fresh loopback address by default)."""
    session = requests.Session()
    session.mount("http://", SourceAddress(source or address()))
    return session


def login(gateway: str, username: str, password: str = PASSWORD, *, client_address: str | None = None,
          headers: dict | None = None):
    with client_from(client_address) as http:
        return http.post(f"{gateway}/api/auth/token/", json={"username": username, "password": password},
                         headers=headers, timeout=TIMEOUT)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def caught_up(stack, slug: str) -> None:
    """Another client reads the replica: let it apply what was just written."""
    spec = stack.pair_spec(slug)
    primary, replica = replication.current_roles(spec)
    replication.wait_caught_up(spec, primary, replica, timeout=10)


@pytest.fixture(scope="module")
def forged(stack) -> dict[str, str]:
    return rejected_tokens(stack.secrets.jwt_private.read_text(), stack.secrets.jwt_public.read_text(),
                           user_id=1, role="cashier", branches=[1])


@pytest.fixture(scope="module")
def admin(stack, gateway) -> dict:
    answer = login(gateway, "admin", stack.secrets.admin_password()[0])
    assert answer.status_code == 200, answer.text
    return bearer(answer.json()["access"])


@pytest.fixture(scope="module")
def make_user(stack, gateway, admin):
    def make(role: str, branches: list[int] | None = None) -> dict:
        body = {"username": unique(role), "password": PASSWORD, "email": "", "role": role, "branches": branches or []}
        answer = requests.post(f"{gateway}/api/auth/users/", json=body, headers=admin, timeout=TIMEOUT)
        assert answer.status_code == 201, answer.text
        return answer.json()

    return make


@pytest.fixture(scope="module")
def branches(stack, gateway, admin) -> tuple[int, int]:
    ids = []
    for _ in range(2):
        answer = requests.post(f"{gateway}/api/branches/", json={"code": unique("A")[:12].upper(), "name": "Auth test"},
                               headers=admin, timeout=TIMEOUT)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    caught_up(stack, "sucursales")
    return ids[0], ids[1]


def signed_in(gateway: str, user: dict) -> dict:
    answer = login(gateway, user["username"])
    assert answer.status_code == 200, answer.text
    return bearer(answer.json()["access"])


# --- the edge -----------------------------------------------------------------------------------------------

def test_forged_tokens_are_401_json_at_the_edge(gateway, admin, forged):
    # a path the service does not have: a valid token reaches it (404), so a 401 comes from the edge
    assert requests.get(f"{gateway}/api/branches/no-such-path/", headers=admin, timeout=TIMEOUT).status_code == 404
    for name, token in forged.items():
        answer = requests.get(f"{gateway}/api/branches/no-such-path/", headers=bearer(token), timeout=TIMEOUT)
        assert answer.status_code == 401, name
        assert answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["code"] == "token_not_valid", name
        assert answer.json()["detail"]


def test_forged_tokens_are_401_json_at_every_service_too(stack, forged):
    for slug, path in SERVICE_PATHS.items():
        for name, token in forged.items():
            answer = requests.get(f"{stack.url(slug)}{path}", headers=bearer(token), timeout=TIMEOUT)
            assert answer.status_code == 401, (slug, name, answer.text)
            assert answer.json()["code"] == "token_not_valid", (slug, name)


def test_missing_or_malformed_authorization_is_refused_at_the_edge(gateway):
    for headers, code in (({}, "not_authenticated"), ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "not_authenticated"),
                          ({"Authorization": "Bearer"}, "bad_authorization_header"),
                          ({"Authorization": "Bearer a b"}, "bad_authorization_header")):
        answer = requests.get(f"{gateway}/api/sales/no-such-path/", headers=headers, timeout=TIMEOUT)
        assert (answer.status_code, answer.json()["code"]) == (401, code)
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_refresh_health_docs_ui_and_admin_need_no_token(gateway):
    refused = login(gateway, unique("x"), "x")
    assert (refused.status_code, refused.json()["code"]) == (401, "no_active_account")  # the service's answer
    dead = requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": "x.y.z"}, timeout=TIMEOUT)
    assert (dead.status_code, dead.json()["code"]) == (401, "token_not_valid")
    for path in ("/health", "/api/auth/health/", "/api/sales/health/", "/api/branches/schema/", "/api/docs/", "/",
                 "/admin/sucursales/login/"):
        answer = requests.get(f"{gateway}{path}", timeout=TIMEOUT)
        assert answer.status_code in (200, 503), (path, answer.status_code)


# --- the token life cycle ---------------------------------------------------------------------------------

def test_sign_in_me_refresh_rotation_and_logout(gateway, make_user, branches):
    low, high = sorted(branches)
    user = make_user("manager", [high, low])  # branches that exist: servicio_auth asks sucursales
    pair = login(gateway, user["username"]).json()
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    assert (claims["role"], claims["branches"]) == ("manager", [low, high])
    me = requests.get(f"{gateway}/api/auth/me/", headers=bearer(pair["access"]), timeout=TIMEOUT).json()
    assert {k: me[k] for k in ("id", "username", "role", "branches", "is_staff")} == {
        "id": user["id"], "username": user["username"], "role": "manager", "branches": [low, high], "is_staff": False}
    rotated = requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": pair["refresh"]}, timeout=TIMEOUT)
    assert rotated.status_code == 200
    again = requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": pair["refresh"]}, timeout=TIMEOUT)
    assert (again.status_code, again.json()["code"]) == (401, "token_not_valid")
    fresh = rotated.json()
    out = requests.post(f"{gateway}/api/auth/logout/", json={"refresh": fresh["refresh"]},
                        headers=bearer(fresh["access"]), timeout=TIMEOUT)
    assert out.status_code == 204
    dead = requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": fresh["refresh"]}, timeout=TIMEOUT)
    assert dead.status_code == 401


def test_a_disabled_user_can_no_longer_sign_in_or_refresh(gateway, admin, make_user, branches):
    user = make_user("warehouse", [branches[0]])
    pair = login(gateway, user["username"]).json()
    disabled = requests.patch(f"{gateway}/api/auth/users/{user['id']}/", json={"is_active": False}, headers=admin,
                              timeout=TIMEOUT)
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    assert login(gateway, user["username"]).status_code == 401
    assert requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": pair["refresh"]},
                         timeout=TIMEOUT).status_code == 401


# --- scopes -----------------------------------------------------------------------------------------------

def test_admin_creates_a_cashier_whose_token_works_on_its_branch_only(stack, gateway, make_user, branches):
    mine, other = branches
    cashier = make_user("cashier", [mine])
    assert (cashier["role"], cashier["branches"]) == ("cashier", [mine])
    headers = signed_in(gateway, cashier)

    assert requests.get(f"{gateway}/api/branches/{mine}/", headers=headers, timeout=TIMEOUT).status_code == 200
    refused = requests.get(f"{gateway}/api/branches/{other}/", headers=headers, timeout=TIMEOUT)
    assert (refused.status_code, refused.json()["code"]) == (403, "branch_forbidden")
    listed = requests.get(f"{gateway}/api/branches/", headers=headers, timeout=TIMEOUT).json()["results"]
    assert [b["id"] for b in listed] == [mine]

    assert requests.get(f"{gateway}/api/inventory/stock/", params={"branch": mine}, headers=headers,
                        timeout=TIMEOUT).status_code == 200
    stock = requests.get(f"{gateway}/api/inventory/stock/", params={"branch": other}, headers=headers, timeout=TIMEOUT)
    assert (stock.status_code, stock.json()["code"]) == (403, "branch_forbidden")

    sale = {"branch": other, "lines": [{"product": 1, "quantity": 1}],
            "payments": [{"method": "cash", "amount": "1.00"}]}
    sold = requests.post(f"{gateway}/api/sales/", json=sale, headers={**headers, "Idempotency-Key": unique("k")},
                         timeout=TIMEOUT)
    assert (sold.status_code, sold.json()["code"]) == (403, "branch_forbidden")


def test_roles_are_enforced_in_every_service(gateway, make_user, branches):
    mine, _ = branches
    cashier = signed_in(gateway, make_user("cashier", [mine]))
    auditor = signed_in(gateway, make_user("auditor"))
    warehouse = signed_in(gateway, make_user("warehouse", [mine]))
    refusals = [
        (cashier, "get", "/api/auth/users/", None),
        (cashier, "post", "/api/branches/", {"code": unique("Z")[:10], "name": "No"}),
        (auditor, "post", "/api/branches/", {"code": unique("Z")[:10], "name": "No"}),
        (cashier, "post", "/api/inventory/movements/",
         {"branch": mine, "product": 1, "kind": "receipt", "quantity": 1}),
        (auditor, "post", "/api/inventory/products/", {"sku": unique("s"), "name": "No", "price": "1.00"}),
        (cashier, "get", "/api/sales/reports/daily/", None),
        (warehouse, "get", "/api/sales/", None),
        (auditor, "post", "/api/sales/", {"branch": mine, "lines": [{"product": 1, "quantity": 1}],
                                          "payments": [{"method": "cash", "amount": "1.00"}]}),
    ]
    for headers, method, path, body in refusals:
        answer = requests.request(method, f"{gateway}{path}", json=body, timeout=TIMEOUT,
                                  headers={**headers, "Idempotency-Key": unique("k")})
        assert answer.status_code == 403, (method, path, answer.status_code, answer.text)
        assert answer.json()["code"], path
    # and the auditor still reads everything
    for path in ("/api/branches/", "/api/inventory/products/", "/api/sales/"):
        assert requests.get(f"{gateway}{path}", headers=auditor, timeout=TIMEOUT).status_code == 200, path


# --- lockout ----------------------------------------------------------------------------------------------

def test_repeated_failures_lock_that_user_at_that_address_with_429_and_nobody_else(gateway, make_user, branches):
    victim, bystander = make_user("cashier", [branches[0]]), make_user("cashier", [branches[0]])
    attacker, elsewhere = address(), address()
    statuses = [login(gateway, victim["username"], "wrong", client_address=attacker).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = login(gateway, victim["username"], client_address=attacker)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out" and "try again" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) > 0
    # the victim at their own till, and another user at the attacker's address, still sign in
    assert login(gateway, victim["username"], client_address=elsewhere).status_code == 200
    assert login(gateway, bystander["username"], client_address=attacker).status_code == 200


def test_a_forged_forwarded_for_rotated_per_attempt_does_not_reset_the_count(gateway, make_user, branches):
    # the probe of the issue: a different X-Forwarded-For on each failure, all from one real address
    victim, attacker = make_user("cashier", [branches[0]]), address()
    statuses = [login(gateway, victim["username"], "wrong", client_address=attacker,
                      headers={"X-Forwarded-For": f"203.0.113.{i + 1}"}).status_code for i in range(8)]
    assert statuses == [401] * 4 + [429] * 4


def test_username_case_and_accents_count_as_one_user(gateway, make_user, branches):
    victim, attacker = make_user("cashier", [branches[0]]), address()
    name = victim["username"]
    spellings = [name.upper(), name.capitalize(), f"{name} ", name.replace("c", "\u00e7", 1), name.title()]
    statuses = [login(gateway, spelling, "wrong", client_address=attacker).status_code for spelling in spellings]
    assert statuses == [401] * 4 + [429]


def flood(url: str, source: str, count: int, **kwargs) -> list[requests.Response]:
    """`count` requests from one address at once (8 in flight): a burst no busy machine spreads out."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        with client_from(source) as http:
            return http.request(kwargs.get("method", "POST"), url, json=kwargs.get("json"), timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def test_sign_in_floods_from_one_address_are_rate_limited_by_nginx(gateway):
    answers = flood(f"{gateway}/api/auth/token/", address(), 40, json={"username": unique("flood"), "password": "x"})
    limited = [a for a in answers if a.status_code == 429]
    assert len(limited) >= 10  # the burst (20) gets through, the rest wait for the rate (30 a minute)
    assert {a.json()["code"] for a in limited} <= {"rate_limited", "locked_out"}
    assert any(a.json()["code"] == "rate_limited" and a.headers["Retry-After"] for a in limited)
    # another address is not slowed down
    assert login(gateway, unique("x"), "x").status_code == 401


# --- admin single sign-on ---------------------------------------------------------------------------------

def admin_sign_in(gateway: str, project: str, username: str,
                  password: str) -> tuple[requests.Session, requests.Response]:
    session = client_from()
    form = session.get(f"{gateway}/admin/{project}/login/", timeout=TIMEOUT)
    assert form.status_code == 200
    token = CSRF_INPUT.search(form.text).group(1)
    answer = session.post(f"{gateway}/admin/{project}/login/?next=/admin/{project}/", allow_redirects=False,
                          data={"username": username, "password": password, "csrfmiddlewaretoken": token,
                                "next": f"/admin/{project}/"}, timeout=TIMEOUT)
    return session, answer


@pytest.mark.parametrize("project", ["sucursales", "inventario", "ventas", "compras", "clientes"])
def test_admin_signs_in_to_every_admin_with_auth_credentials(stack, gateway, project):
    session, answer = admin_sign_in(gateway, project, "admin", stack.secrets.admin_password()[0])
    assert answer.status_code == 302, answer.text[:300]
    assert answer.headers["Location"] == f"/admin/{project}/"
    home = session.get(f"{gateway}/admin/{project}/", allow_redirects=False, timeout=TIMEOUT)
    assert home.status_code == 200


def test_sso_refuses_a_cashier_and_a_wrong_password(stack, gateway, make_user, branches):
    cashier = make_user("cashier", [branches[0]])
    for username, password in ((cashier["username"], PASSWORD), ("admin", "not-the-password")):
        session, answer = admin_sign_in(gateway, "sucursales", username, password)
        assert answer.status_code == 200  # the form again, with its error
        assert "errornote" in answer.text
        assert session.get(f"{gateway}/admin/sucursales/", allow_redirects=False, timeout=TIMEOUT).status_code == 302


def test_sso_lets_an_auditor_look_but_not_change(gateway, make_user):
    auditor = make_user("auditor")
    session, answer = admin_sign_in(gateway, "sucursales", auditor["username"], PASSWORD)
    assert answer.status_code == 302
    assert session.get(f"{gateway}/admin/sucursales/branches/branch/", timeout=TIMEOUT).status_code == 200
    assert session.get(f"{gateway}/admin/sucursales/branches/branch/add/", allow_redirects=False,
                       timeout=TIMEOUT).status_code == 403
