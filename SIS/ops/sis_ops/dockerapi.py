"""The database containers through the Docker engine's API: the watchdog's fence in Docker.

The watchdog container alone mounts the engine's socket (SIS/gateway/docker-compose.yml). A
primary that stops answering is killed with its container, which then starts again and boots
read-only, as supervisor restarts a killed node of the local stack. The engine counts a kill as
an operator's stop (no restart policy applies to it), so the start is asked for here.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
from urllib.parse import quote

from sis_common.mariadb.nodes import Node

SOCKET = os.environ.get("EWTTO_DOCKER_SOCKET", "/var/run/docker.sock")
TIMEOUT = 10.0


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class DockerError(RuntimeError):
    pass


def request(method: str, path: str, *, socket_path: str = SOCKET, timeout: float = TIMEOUT) -> tuple[int, object]:
    """One call of the engine's API; the status and the decoded JSON body (None when empty)."""
    conn = _UnixConnection(socket_path, timeout)
    try:
        conn.request(method, path, headers={"Host": "docker"})
        answer = conn.getresponse()
        raw = answer.read()
    except OSError as exc:
        raise DockerError(f"the Docker engine at {socket_path} did not answer: {exc}") from exc
    finally:
        conn.close()
    return answer.status, (json.loads(raw) if raw.strip() else None)


class DockerNodes:
    """Maps a pair's nodes to their containers (each node's hostname is its container's name)."""

    def __init__(self, socket_path: str = SOCKET):
        self.socket_path = socket_path

    def _call(self, method: str, path: str, ok: tuple[int, ...], timeout: float = TIMEOUT):
        status, body = request(method, path, socket_path=self.socket_path, timeout=timeout)
        if status not in ok:
            raise DockerError(f"{method} {path}: {status} {body}")
        return status, body

    def pid(self, node: Node) -> int | None:
        """The running main process of the node's container (mariadbd), None when it has none."""
        try:
            status, body = request("GET", f"/containers/{quote(node.host)}/json", socket_path=self.socket_path)
        except DockerError:
            return None
        if status != 200 or not body["State"]["Running"]:
            return None
        return body["State"]["Pid"] or None

    def kill(self, node: Node, pid: int) -> bool:
        """Kill that very process's container (paused or hung alike) and start it again, read-only."""
        if self.pid(node) != pid:
            return False
        name = quote(node.host)
        self._call("POST", f"/containers/{name}/kill?signal=SIGKILL", ok=(204, 409))
        self._call("POST", f"/containers/{name}/wait?condition=not-running", ok=(200,), timeout=30)
        self._call("POST", f"/containers/{name}/start", ok=(204, 304))
        return True
