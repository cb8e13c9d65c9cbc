"""Secrets generated once per stack into var/secrets (0600), never committed."""
from __future__ import annotations

import json
import os
import secrets as _random
from dataclasses import dataclass
from pathlib import Path

from sis_common.auth.keys import write_key_pair
from sis_common.internal_callers import callers as internal_callers, secret_name


# per service: ops (fencing), replication, backup reader, app and migrator accounts
PER_PAIR = ("admin", "repl", "backup", "app", "migrate")
SHARED_BEFORE = ("db_admin", "db_repl", "db_backup")


@dataclass
class Secrets:
    directory: Path
    values: dict

    @classmethod
    def load_or_create(cls, directory: Path, services: list[str]) -> "Secrets":
        directory.mkdir(parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
        path = directory / "secrets.json"
        values = json.loads(path.read_text()) if path.exists() else {}
        # every database password is its pair's own: one leaked opens one pair
        wanted = [*(secret_name(c) for c in sorted(internal_callers())),
                  *(f"db_{account}_{s}" for account in PER_PAIR for s in services),
                  *(f"django_{s}" for s in [*services, "gateway"])]
        missing = [name for name in wanted if name not in values]
        for name in missing:
            values[name] = _random.token_urlsafe(32)
        # an older stack's passwords shared by every pair: nothing uses them once bin/up has run
        stale = [name for name in SHARED_BEFORE if values.pop(name, None) is not None]
        if missing or stale:
            _write_private(path, json.dumps(values, indent=2))
        found = cls(directory, values)
        found.ensure_jwt_keys()
        return found

    def value(self, name: str) -> str:
        return self.values[name]

    @property
    def jwt_private(self) -> Path:
        return self.directory / "jwt-private.pem"

    @property
    def jwt_public(self) -> Path:
        return self.directory / "jwt-public.pem"

    def ensure_jwt_keys(self) -> None:
        if not (self.jwt_private.exists() and self.jwt_public.exists()):
            write_key_pair(self.jwt_private, self.jwt_public)

    def admin_password(self) -> tuple[str, bool]:
        """(password, newly generated): EWTTO_ADMIN_PASSWORD wins, else one generated and kept."""
        given = os.environ.get("EWTTO_ADMIN_PASSWORD")
        if given:
            return given, False
        path = self.directory / "admin-password"
        if path.exists():
            return path.read_text().strip(), False
        password = _random.token_urlsafe(12)
        _write_private(path, password + "\n")
        return password, True


    def append_note(self, name: str, lines: list[str]) -> None:
        path = self.directory / name
        old = path.read_text() if path.exists() else ""
        _write_private(path, old + "".join(f"{line}\n" for line in lines))


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file made earlier by hand or an older version keeps no wider mode
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
