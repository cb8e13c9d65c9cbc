"""The approvals client without auth: a missing approval is the caller's own 403, a dead auth a 503."""
import socket

import pytest

from sales.approvals import approval_check, approval_require
from sis_common.errors import DomainError


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize("approval", [None, {}, {"username": "boss"}, {"pin": "1234"}, {"username": "", "pin": ""}])
def test_no_approval_is_the_callers_own_403(approval, monkeypatch):
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)  # nothing is asked without a username and PIN
    with pytest.raises(DomainError) as refused:
        approval_require(approval=approval, branch_id=1, code="discount_needs_approval", detail="Needs a manager.",
                         limit="5.00")
    assert refused.value.status_code == 403
    assert refused.value.get_codes() == "discount_needs_approval"
    assert refused.value.extra == {"limit": "5.00"}


@pytest.mark.parametrize("url", [None, "closed"])
def test_auth_unreachable_is_a_503(url, monkeypatch):
    if url is None:
        monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    else:
        monkeypatch.setenv("EWTTO_AUTH_URL", closed_port_url())
    with pytest.raises(DomainError) as refused:
        approval_check(username="boss", pin="1234", branch_id=1)
    assert refused.value.status_code == 503
    assert refused.value.get_codes() == "service_unavailable"


def test_a_pin_never_reaches_the_audit_trail():
    from sis_common.audit.capture import REDACTED, redact

    body = {"approval": {"username": "boss", "pin": "4321"}, "lines": [{"product": 1, "shipping": 2}],
            "new_pin": "1234", "PIN": "9999"}
    assert redact(body) == {"approval": {"username": "boss", "pin": REDACTED},
                            "lines": [{"product": 1, "shipping": 2}], "new_pin": REDACTED, "PIN": REDACTED}
