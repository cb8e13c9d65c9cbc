"""Fixtures for servicio_inventario tests: API clients holding tokens of each role."""
import pytest
from rest_framework.test import APIClient

from sis_common.testing.tokens import auth_header


@pytest.fixture
def client_for():
    def make(role: str = "admin", branches: list[int] | None = None, user_id: int = 1) -> APIClient:
        client = APIClient()
        client.credentials(**auth_header(role=role, branches=branches, user_id=user_id))
        return client

    return make


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")
