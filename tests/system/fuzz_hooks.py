"""Schemathesis hooks of the fuzz suite (SCHEMATHESIS_HOOKS): one check of our own on top of all of theirs.

Schemathesis' positive_data_acceptance may not count a 400 as a refusal: a
schema-valid request can still name a branch or product that does not exist,
which only the service can know (400 unknown_branch and the like). That check
is told 400 is expected; this one then holds the line: a schema-valid request
is never refused as malformed (`invalid` field messages or `parse_error`), so
the schema states every rule the serializers apply.
"""
import schemathesis
from schemathesis.generation.meta import CoverageScenario

MALFORMED = frozenset({"invalid", "parse_error"})


@schemathesis.check
def valid_data_is_never_refused_as_malformed(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    scenario = getattr(meta.phase.data, "scenario", None)
    if isinstance(scenario, CoverageScenario) and scenario.name.startswith(("UNSPECIFIED", "UNEXPECTED")):
        return None
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        code = None
    if code in MALFORMED:
        raise AssertionError(f"A schema-valid request was refused as malformed ({code}): "
                             f"{response.text[:500]}")
    return None
