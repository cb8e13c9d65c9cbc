"""System tests: a whole stack started by bin/up's code on free ports, shared by the session."""
import pytest
import requests

from sis_ops.teststack import start_test_stack, stop_test_stack


@pytest.fixture(scope="session")
def stack():
    running = start_test_stack()
    yield running
    stop_test_stack(running)


@pytest.fixture(scope="session")
def gateway(stack) -> str:
    return stack.url()


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session
