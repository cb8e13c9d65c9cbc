"""The Docker deployment as its operator drives it (deploy/docker/up and down, docker, compose),
for the Docker tests: containers by compose service, the published gateway, the API through it."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sis_common.testing.polling import wait_for
from sis_ops.stack import gateway_spec, load_services

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "docker"
NETWORK = "sd_network"
# the services and their project directories as deploy/stack.toml lists them (deploy/docker/up too)
SERVICES = tuple(s.slug for s in load_services())
PROJECT_DIRS = {**{s.slug: s.project for s in load_services()}, "gateway": gateway_spec()["project"]}
# a volume the tests make next to the deployment's: its data may be replaced by the next run
MARKER_VOLUME = "ewtto-test-deployment"
TIMEOUT = 20


def docker(*args: str, check: bool = True, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, timeout=timeout, **kwargs)


def compose_command() -> list[str]:
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"]


def compose(slug: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    file = REPO / "SIS" / PROJECT_DIRS[slug] / "docker-compose.yml"
    return subprocess.run([*compose_command(), "--project-name", f"ewtto-{slug}", "--file", str(file), *args],
                          capture_output=True, text=True, check=True, timeout=timeout, env=os.environ.copy())


def containers(service: str, *, all_states: bool = False) -> list[str]:
    """Container ids of one compose service (apps have no fixed name)."""
    args = ["ps", "-q", "--filter", f"label=com.docker.compose.service={service}"]
    return docker(*args, *(["-a"] if all_states else [])).stdout.split()


def inspect(container: str) -> dict:
    return json.loads(docker("inspect", container).stdout)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def crash(container: str) -> None:
    """SIGKILL of the container's main process from the host, as a crash of it would be.

    `docker kill` is a stop by the operator to the engine: no restart policy brings such a
    container back, so it cannot stand for a crash.
    """
    pid = inspect(container)["State"]["Pid"]
    assert pid, f"{container} is not running"
    os.kill(pid, 9)


@dataclass
class Deployment:
    port: int
    admin_password: str
    up_seconds: float = 0.0
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self, *extra_env: tuple[str, str]) -> subprocess.CompletedProcess:
        env = {**os.environ, **self.env, **dict(extra_env)}
        started = time.monotonic()
        result = subprocess.run([str(DEPLOY / "up")], capture_output=True, text=True, env=env, timeout=1200)
        self.up_seconds = time.monotonic() - started
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:] + nodes_report()
        return result

    def down(self) -> None:
        result = subprocess.run([str(DEPLOY / "down")], capture_output=True, text=True, timeout=600,
                                env={**os.environ, **self.env})
        assert result.returncode == 0, result.stdout + result.stderr

    def health(self, bearer: str | None = None) -> dict:
        """The gateway's /health; with an admin's token, with every node's details."""
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        try:
            answer = requests.get(f"{self.url}/health", headers=headers, timeout=5)
            return answer.json()
        except (requests.RequestException, ValueError):
            return {"status": "down"}

    def login(self, username: str = "admin", password: str | None = None) -> "Api":
        answer = requests.post(f"{self.url}/api/auth/token/", timeout=TIMEOUT,
                               json={"username": username, "password": password or self.admin_password})
        assert answer.status_code == 200, answer.text
        return Api(self.url, answer.json()["access"])


@dataclass
class Api:
    base: str
    bearer: str

    def headers(self, key: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.bearer}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, **params) -> requests.Response:
        return requests.get(f"{self.base}{path}", params=params, headers=self.headers(), timeout=TIMEOUT)

    def post(self, path: str, body: dict, key: str | None = None, timeout: float = TIMEOUT) -> requests.Response:
        return requests.post(f"{self.base}{path}", json=body, headers=self.headers(key), timeout=timeout)

    def ok(self, method: str, path: str, *args, expect: int = 200, **kwargs) -> dict:
        answer = getattr(self, method)(path, *args, **kwargs)
        assert answer.status_code == expect, (method, path, answer.status_code, answer.text)
        return answer.json()

    def seen(self, path: str, **params) -> dict:
        """A read that waits for the replica to have the rows written just before."""
        answer = wait_for(lambda: (r := self.get(path, **params)).status_code == 200 and r, timeout=15, every=0.2)
        assert answer, (path, params)
        return answer.json()


def new_key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def shop(admin: Api) -> dict:
    """A branch with two stocked products and an open cash session of the admin."""
    code = f"D{uuid.uuid4().hex[:6].upper()}"
    branch = admin.ok("post", "/api/branches/", {"code": code, "name": "Tienda Docker"}, expect=201)["id"]
    admin.seen(f"/api/branches/{branch}/")
    products = []
    for name, price in (("Arroz 5kg", "12.50"), ("Aceite 1L", "3.99")):
        product = admin.ok("post", "/api/inventory/products/",
                           {"sku": f"SKU-{uuid.uuid4().hex[:10]}", "name": name, "price": price}, expect=201)["id"]
        admin.ok("post", "/api/inventory/movements/",
                 {"branch": branch, "product": product, "kind": "receipt", "quantity": 1000},
                 key=new_key("receipt"), expect=201)
        products.append(product)
    for product in products:
        wait_for(lambda: admin.get(f"/api/inventory/stock/{branch}/{product}/").status_code == 200, timeout=15)
    # one open cash session per cashier, whatever the branch: the admin's first one serves every shop
    answer = admin.post("/api/sales/cash-sessions/", {"branch": branch, "opening_float": "100.00"}, key=new_key("open"))
    assert answer.status_code == 201 or answer.json().get("code") == "cash_session_open", answer.text
    return {"branch": branch, "code": code, "products": products}


def nodes_report() -> str:
    """What each database node says of itself and its accounts, for a failure's message."""
    lines = []
    for slug in SERVICES:
        for node in (f"{slug}-db-1", f"{slug}-db-2"):
            sql = "SELECT @@read_only, @@gtid_binlog_pos; SELECT user, host FROM mysql.user ORDER BY user"
            out = docker("exec", node, "mariadb", "-uroot", "-N", "-e", sql, check=False, timeout=30)
            lines.append(f"--- {node}: {out.stdout.split()} {out.stderr.strip()[-200:]}")
            lines.append(docker("logs", "--tail", "5", node, check=False).stderr.strip()[-600:])
    return "\n" + "\n".join(lines)


def wipe() -> None:
    """Everything a run leaves: containers, the volumes, the network and this tree's config."""
    for slug in ("gateway", *reversed(SERVICES)):
        try:
            compose(slug, "--profile", "tools", "down", "--remove-orphans", "--volumes", "--timeout", "5")
        except subprocess.CalledProcessError:
            pass  # a tree without its env files yet: nothing of it runs
    leftovers = docker("ps", "-aq", "--filter", f"network={NETWORK}").stdout.split()
    if leftovers:
        docker("rm", "-f", *leftovers)
    volumes = [v for v in docker("volume", "ls", "-q").stdout.split() if v.startswith("ewtto-")]
    if volumes:
        docker("volume", "rm", "-f", *volumes)
    docker("network", "rm", NETWORK, check=False)
    for generated in (DEPLOY / "secrets", DEPLOY / "env", DEPLOY / "nginx" / "rendered"):
        shutil.rmtree(generated, ignore_errors=True)
    (DEPLOY / ".env").unlink(missing_ok=True)
