"""Every project's pyproject declares each third-party distribution its code imports or its settings name."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

SIS = Path(__file__).resolve().parents[2]
REPO = SIS.parent
PROJECTS = sorted(p.parent for p in SIS.glob("*/pyproject.toml"))
# A settings module names apps, middleware and backends by dotted path; Django imports them.
DOTTED = re.compile(r"[a-z_][a-z0-9_]*(\.[A-Za-z_]\w*)*")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalized(re.match(r"[A-Za-z0-9._-]+", requirement).group())


def is_test_code(relative: Path) -> bool:
    """Test suites and the test helpers of sis_common may use what the `test` extra declares."""
    return "tests" in relative.parts or relative.name == "conftest.py" or relative.parts[:2] == ("sis_common", "testing")


def is_settings(relative: Path) -> bool:
    return relative.parts[0] == "config" or relative == Path("sis_common/conf.py")


def referenced_modules(path: Path, relative: Path) -> set[str]:
    """Top-level names of the modules a file imports, and of those its settings strings name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and is_settings(relative)
              and DOTTED.fullmatch(node.value)):
            names.add(node.value)
    return {name.split(".")[0] for name in names}


def declared(project: Path) -> tuple[set[str], set[str]]:
    """The project's own dependencies, and those plus its `test` extra."""
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    runtime = {requirement_name(r) for r in meta.get("dependencies", [])}
    test = {requirement_name(r) for r in meta.get("optional-dependencies", {}).get("test", [])}
    return runtime, runtime | test


def undeclared(project: Path) -> dict[str, set[str]]:
    """Distribution -> the files that use it without the pyproject declaring it."""
    distributions = packages_distributions()
    own = normalized(tomllib.loads((project / "pyproject.toml").read_text())["project"]["name"])
    runtime, with_test = declared(project)
    missing: dict[str, set[str]] = {}
    for path in project.rglob("*.py"):
        relative = path.relative_to(project)
        allowed = with_test if is_test_code(relative) else runtime
        for top in referenced_modules(path, relative):
            if top in sys.stdlib_module_names or (project / top).is_dir() or (project / f"{top}.py").is_file():
                continue
            for dist in map(normalized, distributions.get(top, ())):
                if dist != own and dist not in allowed:
                    missing.setdefault(dist, set()).add(str(relative))
    return missing


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_pyproject_declares_what_the_project_imports(project):
    assert undeclared(project) == {}


def test_a_used_distribution_is_found_undeclared(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "probe"\ndependencies = ["django"]\n')
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.py").write_text('import django\nAPPS = ["rest_framework.authtoken"]\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import pytest\n")
    assert undeclared(tmp_path) == {"djangorestframework": {"config/settings.py"}, "pytest": {"tests/test_x.py"}}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_declared_distribution_is_pinned_in_the_lock(project):
    locked = {requirement_name(line) for line in (REPO / "requirements.lock").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    local = {normalized(tomllib.loads((p / "pyproject.toml").read_text())["project"]["name"]) for p in PROJECTS}
    assert declared(project)[1] - locked - local == set()
