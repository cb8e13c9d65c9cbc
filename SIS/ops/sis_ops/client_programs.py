"""Running the MariaDB client programs against one node, with the credentials in a private file, not in argv."""
from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from sis_common.mariadb.nodes import Credentials, Node


@contextlib.contextmanager
def credentials_file(creds: Credentials) -> Iterator[Path]:
    """A 0600 option file for --defaults-extra-file, removed on exit (argv is visible to every user)."""
    fd, name = tempfile.mkstemp(prefix="ewtto-client-", suffix=".cnf")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(f'[client]\nuser="{_quote(creds.user)}"\npassword="{_quote(creds.password)}"\n')
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def argv(tool: str, node: Node, option_file: Path, *extra: str) -> list[str]:
    """A client command line for `node` over TCP; --defaults-extra-file must come first."""
    return [tool, f"--defaults-extra-file={option_file}", f"--host={node.host}", f"--port={node.port}",
            "--protocol=TCP", *extra]


def utc_env() -> dict[str, str]:
    # mariadb-binlog reads and prints datetimes in the local zone: pin it to UTC like the servers
    return {**os.environ, "TZ": "UTC"}


def run_sql_as_root(socket: Path, chunks: Iterable[bytes], *, log_bin: bool = False) -> None:
    """Feed SQL text (byte chunks) to `mariadb` as root on a local node's socket; unlogged unless asked.

    Root (authenticated by the OS user, never reachable over TCP) is the one account that may
    load data into a fenced node.
    """
    _feed(["mariadb", "--no-defaults", f"--socket={socket}", "--user=root", *_load_options(log_bin)],
          chunks, str(socket))


def _load_options(log_bin: bool) -> list[str]:
    init = "SET SESSION sql_log_bin = 1" if log_bin else "SET SESSION sql_log_bin = 0"
    return [f"--init-command={init}", "--binary-mode", "--max-allowed-packet=1G"]


def _feed(command: list[str], chunks: Iterable[bytes], where: str) -> None:
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                env=utc_env())
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
        except BrokenPipeError:
            pass  # the client stopped at an error; its exit status and message say which
        finally:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
        code = proc.wait()
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip()
    if code != 0:
        raise RuntimeError(f"mariadb on {where} failed: {message}")


def file_chunks(path: Path, *, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk
