"""Starting, steering and stopping the stack's supervisord."""
from __future__ import annotations

import subprocess
import time
import xmlrpc.client
from http.client import HTTPConnection
from socket import AF_UNIX, SOCK_STREAM, socket

from .render import write_supervisor
from .stack import VENV, Stack, ops_daemons


class _UnixHTTPConnection(HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket(AF_UNIX, SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        return _UnixHTTPConnection(self.path)


def rpc(stack: Stack):
    """supervisord's XML-RPC interface over its unix socket."""
    transport = _UnixTransport(str(stack.run_dir / "supervisor.sock"))
    return xmlrpc.client.ServerProxy("http://localhost", transport=transport).supervisor


def running(stack: Stack) -> bool:
    try:
        return rpc(stack).getState()["statename"] == "RUNNING"
    except (OSError, xmlrpc.client.Error):
        return False


def start(stack: Stack) -> None:
    """Start supervisord, or make a running one pick up the current config."""
    conf = write_supervisor(stack)
    if running(stack):
        rpc(stack).reloadConfig()
        ctl(stack, "update")
        return
    subprocess.run([str(VENV / "bin" / "supervisord"), "-c", str(conf)], check=True)
    deadline = time.monotonic() + 20
    while not running(stack):
        if time.monotonic() > deadline:
            raise TimeoutError("supervisord did not come up; see var/log/supervisord.log")
        time.sleep(0.1)


def ctl(stack: Stack, *args: str) -> str:
    result = subprocess.run([str(VENV / "bin" / "supervisorctl"), "-c", str(stack.run_dir / "supervisord.conf"), *args],
                            capture_output=True, text=True)
    return result.stdout


def processes(stack: Stack) -> list[dict]:
    return rpc(stack).getAllProcessInfo() if running(stack) else []


def stop_program(stack: Stack, name: str) -> None:
    rpc(stack).stopProcess(name, True)


def start_program(stack: Stack, name: str) -> None:
    rpc(stack).startProcess(name, True)


def restart_ops_daemons(stack: Stack) -> None:
    """Restart the stack-wide daemons (the watchdog): they read the code and the pairs' passwords once."""
    for proc in processes(stack):
        if proc["name"] in ops_daemons() and proc["statename"] == "RUNNING":
            ctl(stack, "restart", proc["name"])


def shutdown(stack: Stack, timeout: float = 60) -> None:
    if not running(stack):
        return
    rpc(stack).shutdown()
    deadline = time.monotonic() + timeout
    while (stack.run_dir / "supervisord.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def reload_apps(stack: Stack) -> None:
    """Graceful reload (HUP) of every gunicorn; new workers load the current code and settings."""
    for proc in processes(stack):
        if proc["name"].startswith("app-") and proc["statename"] == "RUNNING":
            rpc(stack).signalProcess(proc["name"], "HUP")
