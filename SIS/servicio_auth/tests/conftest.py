"""Fixtures for servicio_auth tests: real users in the test pair, API clients, sign-in helpers."""
import itertools

import pytest
from rest_framework.test import APIClient

from accounts import services

PASSWORD = "Correct-Horse-42-battery"
_names = (f"user{i:05d}" for i in itertools.count())
_addresses = (f"198.51.100.{i % 250 + 1}" for i in itertools.count())


@pytest.fixture
def make_user(db):
    def make(role: str = "cashier", branches: list[int] | None = None, *, username: str | None = None,
             password: str = PASSWORD, **extra):
        if branches is None and role not in ("admin", "auditor"):
            branches = [1]
        return services.user_create(username=username or next(_names), password=password, role=role,
                                    branches=branches or [], **extra)

    return make


@pytest.fixture
def address():
    """A client address of its own (sent as X-Forwarded-For through loopback), so lockouts stay per test."""
    return next(_addresses)


@pytest.fixture
def login(address):
    def post(username: str, password: str = PASSWORD, *, client: APIClient | None = None,
             from_address: str | None = None):
        client = client or APIClient()
        return client.post("/api/auth/token/", {"username": username, "password": password}, format="json",
                           HTTP_X_FORWARDED_FOR=from_address or address)

    return post


@pytest.fixture
def bearer():
    def client(access: str) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        return api

    return client


@pytest.fixture
def admin_user(make_user):
    return make_user("admin")


@pytest.fixture
def admin_api(admin_user, login, bearer):
    return bearer(login(admin_user.username).json()["access"])
