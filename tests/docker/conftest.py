"""Docker tests: one deployment from nothing (deploy/docker/up) on a free loopback port, shared
by the module's tests in order, and wiped at the end. bin/test starts the engine when none runs."""
import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from deployment import MARKER_VOLUME, Deployment, docker, free_port, wipe  # noqa: E402


@pytest.fixture(scope="session")
def deployment():
    if docker("info", check=False).returncode != 0:
        pytest.fail("no Docker engine answers: bin/test starts one (bin/lib/docker-engine.sh)")
    volumes = docker("volume", "ls", "-q").stdout.split()
    if any(v.startswith("ewtto-") for v in volumes) and MARKER_VOLUME not in volumes:
        pytest.fail("this engine holds the data of an E-WTTO deployment the tests did not make "
                    "(docker volume ls | grep ewtto-): the Docker tests start from nothing and would delete it; "
                    "run them on another machine, or remove it first (docs/deploy-vps.md)")
    wipe()
    docker("volume", "create", MARKER_VOLUME)
    running = Deployment(port=free_port(), admin_password=f"Adm-{uuid.uuid4().hex[:16]}")
    running.env = {"EWTTO_PORT": str(running.port), "EWTTO_ADMIN_PASSWORD": running.admin_password,
                   "EWTTO_PUBLIC_HOSTS": "127.0.0.1,localhost"}
    yield running
    if os.environ.get("EWTTO_DOCKER_KEEP") != "1":
        wipe()
        docker("volume", "rm", "-f", MARKER_VOLUME, check=False)
