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
