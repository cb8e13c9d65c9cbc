"""Every API's published schema is true: schemathesis through the gateway of a stack of its own.

Coverage, fuzzing and stateful phases with every check (fuzz.py): no server
error, answers that conform to the schema (status, headers, body), no
undocumented status, schema-valid requests accepted and invalid ones refused.
Once with a fixed seed, so CI is repeatable, and once with a random one that a
failure prints; examples per operation are few so the suite fits CI, and
`bin/fuzz --examples N` runs longer. The stack is its own (with demo data):
the fuzzer creates, changes and locks out what it finds.
"""
import os
import random

import pytest
import requests

from fuzz import APIS, run_api
from sis_ops.teststack import start_test_stack, stop_test_stack

FIXED_SEED = 20261202
EXAMPLES = int(os.environ.get("EWTTO_FUZZ_EXAMPLES", "12"))
RUN_TIMEOUT = 300


@pytest.fixture(scope="module")
def fuzz_stack():
    stack = start_test_stack(demo=True)
    yield stack
    stop_test_stack(stack)


def test_the_combined_docs_list_every_api_and_serve_its_schema(fuzz_stack):
    docs = requests.get(f"{fuzz_stack.url()}/api/docs/", timeout=10)
    assert docs.status_code == 200 and "text/html" in docs.headers["Content-Type"]
    for api in APIS:
        assert f"/api/docs/schema/{api}/" in docs.text
        schema = requests.get(f"{fuzz_stack.url()}/api/docs/schema/{api}/", timeout=10).json()
        assert schema["openapi"].startswith("3.") and schema["paths"]
        assert "Error" in schema["components"]["schemas"]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("seed", [FIXED_SEED, random.randrange(2**31)], ids=["fixed-seed", "random-seed"])
def test_schemathesis_finds_nothing(fuzz_stack, api, seed):
    run = run_api(fuzz_stack, api, examples=EXAMPLES, seed=seed, timeout=RUN_TIMEOUT)
    assert run.generated > 0, run.output[-3000:]
    assert run.ok, (f"schemathesis failed on {api} with seed {seed} ({run.generated} requests); repeat with "
                    f"bin/fuzz --api {api} --seed {seed} --examples {EXAMPLES}\n{run.report()}")
