"""pytest plugin for every project: migrate the real test pair once instead of creating test databases."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def db_pair():
    """The running TestPair behind this process's settings (for tests that stop nodes)."""
    from sis_common.testing import pair

    (only,) = pair._pairs.values()
    return only


@pytest.fixture
def client_for():
    """An API client holding a token of the given role and branches, shaped like servicio_auth's."""
    from rest_framework.test import APIClient

    from sis_common.testing.tokens import auth_header

    def make(role: str = "admin", branches: list[int] | None = None, user_id: int = 1) -> APIClient:
        client = APIClient()
        client.credentials(**auth_header(role=role, branches=branches, user_id=user_id))
        return client

    return make


@pytest.fixture
def admin_browser():
    """A Django test client signed in to the admin site as the given user."""
    from django.test import Client

    from sis_common.db import causal

    def make(user) -> Client:
        browser = Client()
        browser.force_login(user)
        # a real sign-in's answer carries the causal token of its session write: without it the next
        # request may read the session from a replica that has not applied it yet, and be anonymous
        gtid = causal.last_gtid()
        if gtid:
            browser.cookies[causal.cookie_name()] = causal.issue(gtid)
        return browser

    return make


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")


@pytest.fixture
def known_branches():
    """Branches 1-9 (SUC01-SUC09) as servicio_sucursales last answered them (active, by id and by code), for a
    project's tests that run without it.

    The real lookup, unknown and inactive branches included, is covered through a whole stack in tests/system.
    """
    from django.core.cache import cache

    from sis_common.sucursales_client import cache_key, code_cache_key

    branches = [{"id": i, "code": f"SUC{i:02d}", "name": f"Branch {i}", "is_active": True, "address": f"Av. {i}",
                 "city": "Lima", "phone": "", "receipt_header": "", "receipt_footer": ""} for i in range(1, 10)]
    known = {cache_key(b["id"]): b for b in branches} | {code_cache_key(b["code"]): b for b in branches}
    cache.set_many(known, 3600)
    yield
    cache.delete_many(list(known))


KNOWN_COMPANY = {
    "name": "E-WTTO", "legal_name": "", "tax_id": "", "currency": "PEN", "prices_include_tax": True,
    "default_tax_rate": "0.1800", "return_days": 30, "discount_limits": {"cashier": "5.00", "manager": "50.00"},
    "cash_out_limit": "200.00",
}


@pytest.fixture
def known_company():
    """The company settings as servicio_sucursales last answered them (its defaults), for tests that run without it.

    Call the fixture's value with fields to answer other settings: `known_company(prices_include_tax=False)`.
    The real lookup is covered by servicio_sucursales' own suite and through a whole stack in tests/system.
    """
    from django.core.cache import cache

    from sis_common.sucursales_client import COMPANY_CACHE_KEY, company_forget

    def answer(**fields) -> dict:
        company = {**KNOWN_COMPANY, **fields}
        cache.set(COMPANY_CACHE_KEY, company, 3600)
        return company

    answer()
    yield answer
    company_forget()
