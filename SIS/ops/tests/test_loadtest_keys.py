"""The sale script wrk runs: every request of every run carries an Idempotency-Key never sent before."""
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sis_ops.loadtest import Scenario, wrk_script

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by bin/up")


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    keys: list[str] = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Recorder.keys.append(self.headers.get("Idempotency-Key", ""))
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def run_wrk(url: str, tmp_path, threads: int) -> None:
    script = tmp_path / "sale.lua"
    script.write_text(wrk_script(Scenario("sale", "sale", url, 4, "POST", [{"branch": 1}, {"branch": 2}])))
    subprocess.run(["wrk", "-t", str(threads), "-c", "4", "-d", "1s", "-s", str(script), url],
                   check=True, capture_output=True, timeout=30)


def test_keys_never_repeat_across_threads_or_runs(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/sales/"
    try:
        for threads in (2, 2, 1):
            run_wrk(url, tmp_path, threads)
    finally:
        server.shutdown()
    keys = Recorder.keys
    assert len(keys) > 100 and all(key.startswith("load-") for key in keys)
    assert len(set(keys)) == len(keys)
