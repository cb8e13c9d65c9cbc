"""The gateway's real gunicorn config: gevent workers, and one worker keeps deciding while a request waits."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import urllib3

from sis_common.testing.tokens import auth_header

from .conftest import closed_port

PROJECT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def test_the_config_names_gevent_workers_and_they_can_be_loaded():
    # loads the config as gunicorn does; resolving the class imports gevent, so a missing dependency fails here
    script = ("import sys; from gunicorn.app.wsgiapp import WSGIApplication; "
              "sys.argv = ['gunicorn', '-c', 'config/gunicorn.py', 'config.wsgi']; "
              "c = WSGIApplication().cfg; print(c.worker_class.__name__, c.keepalive > 0)")
    shown = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True,
                           env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}, timeout=60)
    assert shown.stdout.split() == ["GeventWorker", "True"], shown.stderr


@pytest.fixture
def one_worker_gateway(hung_server, tmp_path):
    """The gateway under gunicorn with its own config and a single worker; inventory hangs."""
    port = closed_port()  # nobody listens there, so the gateway can bind it
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "EWTTO_ENV_FILE": "",
        "EWTTO_GUNICORN_BIND": f"127.0.0.1:{port}", "EWTTO_GUNICORN_WORKERS": "1",
        "EWTTO_UPSTREAMS": f"inventario={hung_server.url}", "EWTTO_EDGE_APIS": "inventory=inventario",
        "EWTTO_UPSTREAM_READ_TIMEOUT": "2", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    proc = subprocess.Popen([str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"], cwd=PROJECT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=0.5, read=10))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            http.request("GET", f"{base}/__edge/auth")
            break
        except urllib3.exceptions.HTTPError:
            assert proc.poll() is None and time.monotonic() < deadline, "the gateway did not start"
            time.sleep(0.2)
    yield http, base
    http.clear()  # a gevent worker lets open keep-alive connections finish before it stops
    proc.terminate()
    proc.wait(timeout=20)


def test_one_worker_decides_on_tokens_while_a_request_waits_on_a_hung_service(one_worker_gateway, hung_server):
    http, base = one_worker_gateway
    headers = {"Authorization": auth_header(role="admin")["HTTP_AUTHORIZATION"]}
    waiting = {}
    # the combined docs fetch the service's schema: it hangs until the gateway's own read timeout
    stuck = threading.Thread(target=lambda: waiting.update(
        answer=http.request("GET", f"{base}/api/docs/schema/inventory/")))
    stuck.start()
    deadline = time.monotonic() + 5
    while hung_server.accepted == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hung_server.accepted == 1
    started = time.monotonic()
    decision = http.request("GET", f"{base}/__edge/auth", headers=headers)
    assert decision.status == 204 and time.monotonic() - started < 1  # not queued behind the stuck request
    assert stuck.is_alive()
    stuck.join(timeout=10)
    assert waiting["answer"].status == 503
