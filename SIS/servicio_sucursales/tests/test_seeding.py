"""bin/seed-data's branches: existing active branches count, the missing ones are made, a re-run makes none."""
import json

import pytest
from django.core.management import call_command

from branches.models import Branch

pytestmark = pytest.mark.django_db


def test_seed_branches_tops_up_to_the_count(tmp_path):
    out = tmp_path / "branches.json"
    active = Branch.objects.filter(is_active=True).count()
    call_command("seed_branches", count=active + 3, out=str(out))
    first = json.loads(out.read_text())
    assert len(first) == active + 3 and Branch.objects.filter(code__startswith="SEED").count() >= 3
    call_command("seed_branches", count=active + 3, out=str(out))
    assert json.loads(out.read_text()) == first
