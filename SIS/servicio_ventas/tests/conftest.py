"""Every test of this project sells under the company's default settings, as servicio_sucursales answers them."""
import pytest


@pytest.fixture(autouse=True)
def _company(known_company):
    return known_company
