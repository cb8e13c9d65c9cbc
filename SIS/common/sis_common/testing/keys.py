"""RS256 key pairs generated for a test process (the stack's come from bin/up, never from git)."""
from __future__ import annotations

import os
from pathlib import Path

from sis_common.auth.keys import write_key_pair


def export_test_keys(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    private, public = directory / "jwt-private.pem", directory / "jwt-public.pem"
    write_key_pair(private, public)
    os.environ["EWTTO_JWT_PRIVATE_KEY_FILE"] = str(private)
    os.environ["EWTTO_JWT_PUBLIC_KEY_FILE"] = str(public)
