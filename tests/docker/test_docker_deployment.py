"""The Docker deployment for real: built from nothing, started with deploy/docker/up, used through
its one published port, broken on purpose, stopped and started again. The tests run in order on
one deployment (conftest.py)."""
import subprocess
import threading
import time
from decimal import Decimal as D

import requests

from sis_ops.stack import load_services

from deployment import (
    DEPLOY, NETWORK, SERVICES, Api, compose, containers, crash, docker, inspect, new_key, shop, wait_for,
)

GATEWAY_IMAGE = "ewtto/gateway:latest"


def every_service_healthy(health: dict) -> bool:
    services = health.get("services", {})
    return health.get("status") == "ok" and set(services) == set(SERVICES) and all(
        s["status"] == "ok" and s["db"]["primary"] and s["db"]["replica"] for s in services.values())


def test_up_from_nothing_makes_every_service_healthy(deployment):
    result = deployment.up()
    print(f"\n[figures] deploy/docker/up from nothing to healthy: {deployment.up_seconds:.0f} s")
    outsider = deployment.health()
    assert outsider["status"] == "ok" and not any("db" in s for s in outsider["services"].values())  # no details
    health = deployment.health(deployment.login().bearer)
    assert every_service_healthy(health), health
    for slug, service in health["services"].items():
        nodes = {n["role"]: n for n in service["db"]["nodes"]}
        assert set(nodes) == {"primary", "replica"}, (slug, service["db"])
        assert not nodes["primary"]["read_only"] and nodes["replica"]["read_only"]
        assert nodes["replica"]["io_running"] and nodes["replica"]["sql_running"], (slug, nodes["replica"])
        assert nodes["primary"]["node"].startswith(f"{slug}-db-")
    assert "E-WTTO is up" in result.stdout
    # every image has the one base: its first layer is the base image's
    base = inspect_image("debian:bookworm-slim")["RootFS"]["Layers"][0]
    for image in ("ewtto/mariadb:10.11", "ewtto/nginx:latest", GATEWAY_IMAGE, "ewtto/servicio_ventas:latest"):
        assert inspect_image(image)["RootFS"]["Layers"][0] == base, image


def inspect_image(image: str) -> dict:
    import json
    return json.loads(docker("image", "inspect", image).stdout)[0]


def test_only_the_gateway_port_is_published_and_only_on_loopback(deployment):
    published = {}
    for container in docker("ps", "-q", "--filter", f"network={NETWORK}").stdout.split():
        info = inspect(container)
        for port, bindings in (info["NetworkSettings"]["Ports"] or {}).items():
            for binding in bindings or []:
                published.setdefault(info["Name"].lstrip("/"), []).append((binding["HostIp"], binding["HostPort"], port))
    assert published == {"gateway-nginx": [("127.0.0.1", str(deployment.port), "80/tcp")]}
    running = docker("ps", "--filter", f"network={NETWORK}", "--format", "{{.Names}}").stdout.split()
    # per service of deploy/stack.toml two database nodes, its app, its sidecar and one container per daemon;
    # then the gateway, its nginx and the watchdog
    expected = sum(2 + 2 + len(service.daemons) for service in load_services()) + 3
    assert len(running) == expected, sorted(running)
    usage = docker("stats", "--no-stream", "--format", "{{.MemUsage}}", *running, timeout=120).stdout.split("\n")
    units = {"B": 1, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30}
    total = 0.0
    for line in filter(None, usage):
        used = line.split("/")[0].strip()
        number = used.rstrip("BKMGi")
        total += float(number) * units[used[len(number):]]
    print(f"\n[figures] {len(running)} containers, memory in use {total / 2 ** 20:.0f} MiB (docker stats)")


def probe(network: str, host: str, port: int) -> str:
    """What a throwaway container on `network` gets when it opens host:port."""
    code = ("import socket,sys\n"
            "try:\n"
            f"    socket.create_connection(({host!r}, {port}), timeout=2).close(); print('open')\n"
            "except socket.gaierror: print('unknown')\n"
            "except OSError as e: print('closed')\n")
    return docker("run", "--rm", "--network", network, "--entrypoint", "python", "--user", "10001",
                  GATEWAY_IMAGE, "-c", code, timeout=60).stdout.strip()


def test_containers_reach_each_other_on_sd_network_only(deployment):
    for name in docker("ps", "--filter", f"network={NETWORK}", "--format", "{{.Names}}").stdout.split():
        networks = inspect(name)["NetworkSettings"]["Networks"]
        assert set(networks) == {NETWORK}, (name, sorted(networks))
    db_ip = inspect("ventas-db-1")["NetworkSettings"]["Networks"][NETWORK]["IPAddress"]
    assert probe(NETWORK, "ventas-db-1", 3306) == "open"
    other = "ewtto-test-elsewhere"
    docker("network", "create", other)
    try:
        # another network's container neither resolves the names nor reaches the addresses
        assert probe(other, "ventas-db-1", 3306) == "unknown"
        assert probe(other, db_ip, 3306) == "closed"
    finally:
        docker("network", "rm", other)
    # on the host, Docker listens on one address and port only: the gateway's, on loopback
    listening = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, check=True).stdout
    docker_ports = sorted({line.split()[3] for line in listening.splitlines() if '"docker-proxy"' in line})
    assert docker_ports == [f"127.0.0.1:{deployment.port}"], docker_ports


def test_a_shop_day_through_the_gateway(deployment):
    admin = deployment.login()
    here = shop(admin)
    rice, oil = here["products"]
    sale = admin.ok("post", "/api/sales/", {
        "branch": here["branch"],
        "lines": [{"product": rice, "quantity": 2}, {"product": oil, "quantity": 1}],
        "payments": [{"method": "card", "amount": "20.00"}, {"method": "cash", "amount": "20.00"}],
    }, key=new_key("sale"), expect=201)
    assert sale["status"] == "completed" and sale["number"] == f"{here['code']}-000001"
    assert D(sale["total"]) + D(sale["change"]) == D("40.00")
    refund = admin.ok("post", f"/api/sales/{sale['id']}/returns/",
                      {"lines": [{"product": oil, "quantity": 1}], "reason": "envase roto"},
                      key=new_key("return"), expect=201)
    assert refund["status"] == "completed" and refund["refund"]["method"] == "cash"
    stock = wait_for(lambda: admin.ok("get", f"/api/inventory/stock/{here['branch']}/{rice}/")["quantity"] == 998,
                     timeout=15)
    assert stock, "the sale's stock move did not arrive"
    report = wait_for(lambda: (r := admin.ok("get", "/api/sales/reports/daily/", branch=here["branch"],
                                             date=sale["business_date"]))["sales_count"] == 1 and r, timeout=15)
    assert report, "the daily report does not show the sale"
    assert report["total"] == sale["total"]
    assert report["by_payment_method"]["card"] == "20.00"
    assert report["returns_total"] == refund["refund"]["amount"]


def test_a_crashed_app_container_answers_503_fast_and_restarts_by_its_policy(deployment):
    admin = deployment.login()
    [app] = containers("ventas-app")
    restarts = inspect(app)["RestartCount"]
    crash(app)
    answers = []
    for _ in range(40):
        started = time.monotonic()
        answer = admin.get("/api/sales/", page_size=1)
        answers.append((answer.status_code, time.monotonic() - started, answer))
        if answer.status_code == 200 and len(answers) > 1:
            break
        time.sleep(0.25)
    down = [(code, seconds, a) for code, seconds, a in answers if code != 200]
    assert down, "no request saw the app down: the crash did not happen"
    for code, seconds, answer in down:
        assert code == 503 and seconds < 2, (code, seconds, answer.text)
        assert answer.headers["Content-Type"].startswith("application/json") and answer.json()["code"]
    assert answers[-1][0] == 200, "the app did not come back"
    assert inspect(app)["RestartCount"] == restarts + 1  # the same container, restarted by Docker


def refused_in_network(host: str, creds, sql: str) -> str:
    """The error number a container on sd_network gets for `sql` as `creds` on host (or 'allowed')."""
    code = ("import MySQLdb, sys\n"
            "user, password, host, sql = sys.stdin.read().split('\\n', 3)\n"
            "try:\n"
            "    MySQLdb.connect(host=host, port=3306, user=user, password=password, connect_timeout=5)"
            ".cursor().execute(sql); print('allowed')\n"
            "except MySQLdb.MySQLError as e: print(e.args[0])\n")
    # the password on standard input: no process list shows it
    return docker("run", "--rm", "-i", "--network", NETWORK, "--entrypoint", "python", "--user", "10001",
                  GATEWAY_IMAGE, "-c", code, input=f"{creds.user}\n{creds.password}\n{host}\n{sql}",
                  timeout=60).stdout.strip()


def test_the_ops_account_cannot_write_through_the_fence_and_root_is_socket_only(deployment):
    from sis_common.mariadb.nodes import Credentials
    from sis_ops.docker import DockerStack

    pair = DockerStack(deploy_dir=DEPLOY).pair_spec("ventas")
    primary, replica = roles(deployment, deployment.login().bearer)
    table = f"`{pair.database}`.django_migrations"
    # 1142: no right on any table, though it holds READ_ONLY ADMIN to fence; 1227: no CREATE USER
    assert refused_in_network(replica, pair.admin, f"CREATE TABLE `{pair.database}`.evil (id INT)") == "1142"
    assert refused_in_network(replica, pair.admin, f"DELETE FROM {table}") == "1142"
    assert refused_in_network(replica, pair.admin, "CREATE USER 'evil'@'%' IDENTIFIED BY 'evil'") == "1227"
    assert refused_in_network(primary, pair.app, f"CREATE TABLE `{pair.database}`.evil (id INT)") == "1142"
    assert refused_in_network(replica, pair.app, f"DELETE FROM {table}") == "1290"  # read-only
    for node in (primary, replica):
        assert refused_in_network(node, Credentials("root", ""), "SELECT 1") == "1045"
    assert refused_in_network(primary, pair.admin, "SELECT @@read_only") == "allowed"


def count_rows(node: str, database: str, table: str) -> int:
    out = docker("exec", node, "mariadb", "--socket=/run/mysqld/mysqld.sock", "-uroot", "-N", "-e",
                 f"SELECT COUNT(*) FROM `{database}`.`{table}`").stdout
    return int(out.strip())


def test_down_then_up_keeps_every_row(deployment):
    admin = deployment.login()
    here = shop(admin)
    sale = admin.ok("post", "/api/sales/", {
        "branch": here["branch"], "lines": [{"product": here["products"][0], "quantity": 1}],
        "payments": [{"method": "cash", "amount": "20.00"}]}, key=new_key("sale"), expect=201)
    deployment.down()
    assert not docker("ps", "-q", "--filter", f"network={NETWORK}").stdout.split()
    deployment.up()
    admin = deployment.login()
    assert every_service_healthy(deployment.health(admin.bearer))
    assert admin.seen(f"/api/sales/{sale['id']}/")["number"] == sale["number"]
    assert admin.seen(f"/api/branches/{here['branch']}/")["code"] == here["code"]
    assert admin.seen(f"/api/inventory/stock/{here['branch']}/{here['products'][0]}/")["quantity"] == 999


def pair_nodes(deployment, bearer: str, slug: str = "ventas") -> dict:
    """node name -> its details in the gateway's health (empty while the service does not answer)."""
    service = deployment.health(bearer).get("services", {}).get(slug, {})
    return {n["node"].split(":")[0]: n for n in (service.get("db") or {}).get("nodes", [])}


class SaleLoop:
    """Sales through the gateway in a thread, each with its own key, and a watch of the ventas nodes."""

    def __init__(self, deployment, admin: Api, here: dict, pair: str = "ventas"):
        self.deployment, self.admin, self.here, self.pair = deployment, admin, here, pair
        self.stop, self.acked, self.failed, self.writable = threading.Event(), [], [], []
        self.threads = [threading.Thread(target=self.sell), threading.Thread(target=self.watch)]

    def sell(self):
        body = {"branch": self.here["branch"], "lines": [{"product": self.here["products"][1], "quantity": 1}],
                "payments": [{"method": "cash", "amount": "5.00"}]}
        for _ in range(2000):  # bounded in count, and stopped by the test within a minute
            if self.stop.is_set():
                return
            started = time.monotonic()
            try:
                answer = self.admin.post("/api/sales/", body, key=new_key("loop"))
                code = answer.status_code
            except requests.RequestException as exc:
                code, answer = type(exc).__name__, None
            if code == 201:
                self.acked.append((time.monotonic(), answer.json()["id"]))
            else:
                self.failed.append((started, code))
                time.sleep(0.1)

    def watch(self):
        while not self.stop.is_set():
            nodes = pair_nodes(self.deployment, self.admin.bearer, self.pair)
            self.writable.append(sum(1 for n in nodes.values() if n.get("reachable") and n.get("read_only") is False))
            time.sleep(0.3)

    def __enter__(self):
        for t in self.threads:
            t.start()
        assert wait_for(lambda: len(self.acked) >= 20, timeout=30), f"no sales before the fault: {self.failed[-5:]}"
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def resumed_after(self, moment: float) -> bool:
        return bool(wait_for(lambda: any(t > moment for t, _ in self.acked), timeout=30))

    def report(self, what: str) -> list:
        """The figures of the run, and the acknowledged sales the service no longer has."""
        times = [t for t, _ in self.acked]
        gap = max(b - a for a, b in zip(times, times[1:]))
        lost = [sale for _, sale in self.acked if self.admin.get(f"/api/sales/{sale}/").status_code != 200]
        print(f"\n[figures] {what}: {len(self.acked)} sales acknowledged, {len(self.failed)} refused or failed, "
              f"{len(lost)} acknowledged lost, longest write gap {gap:.2f} s")
        return lost


def roles(deployment, bearer: str, slug: str = "ventas") -> tuple[str, str]:
    nodes = pair_nodes(deployment, bearer, slug)
    [primary] = [name for name, n in nodes.items() if n["role"] == "primary"]
    [replica] = [name for name, n in nodes.items() if n["role"] == "replica"]
    return primary, replica


def promoted(deployment, bearer: str, node: str) -> bool:
    slug = node.split("-db-")[0]
    return bool(wait_for(lambda: pair_nodes(deployment, bearer, slug).get(node, {}).get("role") == "primary",
                         timeout=60))


def rejoined(deployment, bearer: str, node: str) -> bool:
    slug = node.split("-db-")[0]
    return bool(wait_for(lambda: (n := pair_nodes(deployment, bearer, slug).get(node, {})).get("role") == "replica"
                         and n.get("io_running") and n.get("sql_running"), timeout=90, every=1))


def test_kill_9_of_the_ventas_primary_during_sales_loses_no_acknowledged_sale(deployment):
    admin = deployment.login()
    here = shop(admin)
    primary, replica = roles(deployment, admin.bearer)
    restarts = inspect(primary)["RestartCount"]
    with SaleLoop(deployment, admin, here) as loop:
        crashed_at = time.monotonic()
        crash(primary)  # mariadbd is the container's main process: this is kill -9 of it
        assert promoted(deployment, admin.bearer, replica), pair_nodes(deployment, admin.bearer)
        assert loop.resumed_after(crashed_at), f"no sale acknowledged after the failover: {loop.failed[-5:]}"
        time.sleep(3)
    lost = loop.report("failover after kill -9 of the primary's mariadbd")
    assert not lost, f"acknowledged sales missing after the failover: {lost[:10]}"
    assert max(loop.writable) <= 1, "two writable ventas nodes at once"
    # the old primary's container restarted by its policy; its node rejoins as the new primary's replica
    assert inspect(primary)["RestartCount"] == restarts + 1
    assert rejoined(deployment, admin.bearer, primary), pair_nodes(deployment, admin.bearer)
    assert every_service_healthy(deployment.health(admin.bearer))


def watchdog_events() -> list[dict]:
    import json
    out = docker("exec", "ops-watchdog", "cat", "/app/var/log/watchdog-events.jsonl").stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_hung_inventario_primary_is_fenced_through_the_docker_api(deployment):
    """A paused primary answers nobody but still runs: the watchdog kills its container and starts it
    again (read-only) before promoting the replica. Inventario's pair: ventas just failed over, and a
    second automatic failover of one pair waits for a person (the watchdog's flap guard)."""
    admin = deployment.login()
    here = shop(admin)
    primary, replica = roles(deployment, admin.bearer, "inventario")
    started_before = inspect(primary)["State"]["StartedAt"]
    with SaleLoop(deployment, admin, here, pair="inventario") as loop:
        hung_at = time.monotonic()
        docker("pause", primary)
        assert promoted(deployment, admin.bearer, replica), pair_nodes(deployment, admin.bearer, "inventario")
        assert loop.resumed_after(hung_at), f"no sale acknowledged after the failover: {loop.failed[-5:]}"
        time.sleep(3)
    lost = loop.report("failover of a hung (paused) primary")
    assert not lost, f"acknowledged sales missing after the failover: {lost[:10]}"
    assert max(loop.writable) <= 1, "two writable inventario nodes at once"
    state = inspect(primary)["State"]
    assert state["Running"] and not state["Paused"] and state["StartedAt"] != started_before
    fenced = [e for e in watchdog_events() if e.get("event") == "fenced_process" and e.get("node", "").startswith(primary)]
    assert fenced, "the watchdog did not fence the hung primary"
    assert rejoined(deployment, admin.bearer, primary), pair_nodes(deployment, admin.bearer, "inventario")


def served_sales_requests(container: str) -> float:
    """Requests to the sales API this container's workers answered (its /metrics, on its loopback)."""
    from prometheus_client.parser import text_string_to_metric_families
    text = docker("exec", container, "python", "-c",
                  "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/metrics').read().decode())"
                  ).stdout
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "ewtto_http_requests_total" and s.labels.get("route", "").startswith("api/sales"))


def test_scaled_ventas_app_spreads_requests_and_a_lost_replica_costs_no_request(deployment):
    admin = deployment.login()
    compose("ventas", "up", "--detach", "--no-build", "--scale", "ventas-app=3", "ventas-app")
    try:
        apps = containers("ventas-app")
        assert len(apps) == 3
        assert wait_for(lambda: all(inspect(c)["State"].get("Health", {}).get("Status") == "healthy" for c in apps),
                        timeout=90, every=1), "the new replicas did not become healthy"
        time.sleep(2)  # the sidecar's resolver re-reads the name every second
        before = {c: served_sales_requests(c) for c in apps}
        for _ in range(90):
            assert admin.get("/api/sales/", page_size=1).status_code == 200
        spread = {c: served_sales_requests(c) - before[c] for c in apps}
        print(f"\n[figures] 90 requests over 3 ventas-app replicas: {sorted(spread.values())}")
        assert sum(spread.values()) >= 90 and all(n >= 15 for n in spread.values()), spread
        # one replica goes away for good (an operator's docker kill: no restart)
        docker("kill", apps[0])
        lost_at, answers = time.monotonic(), []
        for _ in range(120):
            answers.append((time.monotonic() - lost_at, admin.get("/api/sales/", page_size=1).status_code))
        failed = [(round(t, 2), code) for t, code in answers if code != 200]
        print(f"[figures] a replica killed: {len(failed)} of {len(answers)} requests failed: {failed[:5]}")
        assert not failed, failed
        # writes too, over the two replicas left
        here = shop(admin)
        for _ in range(5):
            admin.ok("post", "/api/sales/", {"branch": here["branch"],
                                             "lines": [{"product": here["products"][0], "quantity": 1}],
                                             "payments": [{"method": "cash", "amount": "20.00"}]},
                     key=new_key("scaled"), expect=201)
    finally:
        compose("ventas", "up", "--detach", "--no-build", "--scale", "ventas-app=1", "ventas-app")
    assert len(containers("ventas-app")) == 1
