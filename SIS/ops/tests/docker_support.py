"""Readers for the Docker deployment's files (compose, Dockerfiles, dockerignore, env files) and
for the environment variables the code reads, used by the test_docker_* tests."""
from __future__ import annotations

import ast
import fnmatch
import json
import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from sis_ops.stack import REPO, gateway_spec, load_services

SIS = REPO / "SIS"
DEPLOY_DOCKER = REPO / "deploy" / "docker"
SCHEMA = DEPLOY_DOCKER / "compose-spec.schema.json"
APP_DOCKERFILE = DEPLOY_DOCKER / "app" / "Dockerfile"  # the image of every project, by its build arguments
DOCKERIGNORE = REPO / ".dockerignore"


def projects() -> dict[str, str]:
    """slug -> project directory name, for every service and the gateway (deploy/stack.toml)."""
    found = {s.slug: s.project for s in load_services()}
    found["gateway"] = gateway_spec()["project"]
    return found


def compose_path(project: str) -> Path:
    return SIS / project / "docker-compose.yml"


@cache
def _compose_text(path: Path) -> str:
    return path.read_text()


def load_compose(project: str) -> dict:
    return yaml.safe_load(_compose_text(compose_path(project)))


def all_services() -> dict[str, tuple[str, dict]]:
    """service name -> (project, definition) over every compose file."""
    found = {}
    for project in projects().values():
        for name, service in load_compose(project)["services"].items():
            found[name] = (project, service)
    return found


def resolve(project: str, relative: str) -> Path:
    """A path of a compose file, relative to its directory as compose resolves it."""
    return (compose_path(project).parent / relative).resolve()


@dataclass(frozen=True)
class Mount:
    source: str
    target: str
    read_only: bool

    @property
    def is_bind(self) -> bool:
        return self.source.startswith((".", "/"))


def mounts(service: dict) -> list[Mount]:
    found = []
    for entry in service.get("volumes", []):
        if isinstance(entry, dict):
            found.append(Mount(entry["source"], entry["target"], bool(entry.get("read_only"))))
            continue
        parts = entry.split(":")
        found.append(Mount(parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
    return found


def env_files(service: dict) -> list[str]:
    entries = service.get("env_file", [])
    entries = [entries] if isinstance(entries, str) else entries
    return [e if isinstance(e, str) else e["path"] for e in entries]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def networks(service: dict) -> list[str]:
    nets = service.get("networks", [])
    return list(nets) if isinstance(nets, (list, dict)) else []


def published_ports(service: dict) -> list[str]:
    out = []
    for port in service.get("ports", []):
        out.append(str(port["published"]) if isinstance(port, dict) else str(port).rsplit(":", 1)[0].split(":")[-1])
    return out


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as compose reads them (comments, blank lines, single-quoted literals)."""
    values = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


# Dockerfiles

@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


def parse_dockerfile(path: Path, args: dict[str, str] | None = None) -> list[Stage]:
    """Stages with their instructions; continuation lines joined, comments dropped, and
    ${NAME} and $NAME of the given build arguments replaced by their values."""
    lines, current = [], ""
    for raw in path.read_text().splitlines():
        if raw.lstrip().startswith("#") and not current:
            continue
        if raw.rstrip().endswith("\\"):
            current += raw.rstrip()[:-1] + " "
            continue
        current += raw
        if current.strip():
            lines.append(current.strip())
        current = ""
    for name, value in (args or {}).items():
        lines = [re.sub(rf"\$(\{{{name}\}}|{name}\b)", value, line) for line in lines]
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif stages:
            stages[-1].instructions.append((keyword, args))
    return stages


def build_args(project: str) -> dict[str, str]:
    """The build arguments this project's compose file gives the application Dockerfile."""
    services = load_compose(project)["services"].values()
    return next(s["build"] for s in services if "build" in s).get("args", {})


def app_dockerfile(project: str) -> list[Stage]:
    """The application Dockerfile as this project's build reads it."""
    return parse_dockerfile(APP_DOCKERFILE, build_args(project))


def exec_form(args: str) -> list[str]:
    """The JSON array of CMD/ENTRYPOINT/HEALTHCHECK CMD (shell form is refused by the tests)."""
    return json.loads(args)


def healthcheck_cmd(args: str) -> list[str]:
    _, _, command = args.partition("CMD ")
    return exec_form(command.strip())


def env_instructions(stage: Stage) -> dict[str, str]:
    env = {}
    for args in stage.all("ENV"):
        for word in shlex.split(args):
            key, _, value = word.partition("=")
            env[key] = value
    return env


def copy_sources(stage: Stage) -> list[str]:
    """Sources of COPY instructions that read the build context (not --from=<stage>)."""
    sources = []
    for args in stage.all("COPY"):
        words = shlex.split(args)
        if any(w.startswith("--from=") for w in words):
            continue
        words = [w for w in words if not w.startswith("--")]
        sources += words[:-1]
    return sources


def ignore_patterns(path: Path) -> list[tuple[bool, re.Pattern]]:
    """(negated, regex) of a .dockerignore, in order; the last matching one decides."""
    patterns = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line.lstrip("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/|\*\*|\*|\?)", line):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
        patterns.append((negated, re.compile(regex)))
    return patterns


def is_ignored(relative: str, patterns: list[tuple[bool, re.Pattern]]) -> bool:
    """Whether the path is left out of the build context (a match on a parent directory counts)."""
    parts = relative.strip("/").split("/")
    ignored = False
    for negated, regex in patterns:
        if any(regex.fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1)):
            ignored = not negated
    return ignored


# Environment variables the code reads

# django-environ casts whose second positional argument is the cast, not the default
_CAST_FIRST = {"list", "tuple", "dict"}
_ENV_METHODS = {"str", "bool", "int", "float", "json", "list", "tuple", "dict", "url", "db_url", "db",
                "cache_url", "cache", "email_url", "email", "search_url", "path", "decimal", "bytes"}


@dataclass(frozen=True)
class EnvRead:
    name: str  # a glob ('EWTTO_*_URL') when the code builds the name with an f-string
    required: bool
    where: str
    function: str | None = None  # the top-level function or method it is read in; None at module level


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)
    return None


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) \
        and node.value.id == "os"


def _is_environ_get(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and ((node.attr == "get" and _is_os_environ(node.value)) or (
        node.attr == "getenv" and isinstance(node.value, ast.Name) and node.value.id == "os"))


def _aliases_of_environ_get(tree: ast.AST) -> set[str]:
    """Names bound to os.environ.get / os.getenv (`env = os.environ.get`), which take a default second."""
    return {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign) and _is_environ_get(node.value)
            for t in node.targets if isinstance(t, ast.Name)}


def _functions(tree: ast.Module):
    """(name, node) of every function and method, outermost first."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield item.name, item


def _read_of(node: ast.AST, aliases: set[str]) -> tuple[str, bool] | None:
    """(name, required) when the node reads an environment variable."""
    if isinstance(node, ast.Subscript) and _is_os_environ(node.value) and isinstance(node.ctx, ast.Load):
        name = _name_of(node.slice)
        return (name, True) if name else None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    name = _name_of(node.args[0])
    if not name:
        return None
    func, has_default_kw = node.func, any(k.arg == "default" for k in node.keywords)
    if _is_environ_get(func) or (isinstance(func, ast.Name) and func.id in aliases):
        return name, False  # None when unset: the caller decides
    if isinstance(func, ast.Attribute) and func.attr in ("setdefault", "pop") and _is_os_environ(func.value):
        return name, False
    # django-environ's Env as sis_common.conf names it: env(...), env.int(...), conf.env(...)
    if (isinstance(func, ast.Name) and func.id == "env") or (isinstance(func, ast.Attribute) and func.attr == "env"):
        return name, not (has_default_kw or len(node.args) >= 3)  # env(var, cast, default)
    if isinstance(func, ast.Attribute) and func.attr in _ENV_METHODS and (
            (isinstance(func.value, ast.Name) and func.value.id == "env")
            or (isinstance(func.value, ast.Attribute) and func.value.attr == "env")):
        position = 3 if func.attr in _CAST_FIRST else 2
        return name, not (has_default_kw or len(node.args) >= position)
    return None


def env_reads_in_source(source: str, where: str) -> list[EnvRead]:
    tree = ast.parse(source)
    aliases = _aliases_of_environ_get(tree)
    owner = {}
    for fname, fnode in _functions(tree):
        for inner in ast.walk(fnode):
            owner.setdefault(id(inner), fname)
    found = []
    for node in ast.walk(tree):
        read = _read_of(node, aliases)
        if read and re.fullmatch(r"[A-Z][A-Z0-9_*]*", read[0]):
            found.append(EnvRead(read[0], read[1], where, owner.get(id(node))))
    return found


@cache
def _names_in_file(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text())
    return frozenset(n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(tree)
                     if isinstance(n, (ast.Name, ast.Attribute)))


def names_used(*roots: Path) -> set[str]:
    """Every name and attribute the code of these roots mentions (to tell which library functions it calls)."""
    return set().union(*(_names_in_file(path) for path in runtime_sources(*roots)))


# code a container does not run: tests, test settings, the local stack's settings, test helpers
_NOT_IN_CONTAINERS = re.compile(r"(^|/)(tests|testing)(/|$)|(^|/)conftest\.py$|config/settings/(test|local)\.py$")


def runtime_sources(*roots: Path) -> list[Path]:
    files = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(REPO).as_posix()
            if not _NOT_IN_CONTAINERS.search(relative) and "/migrations/" not in relative:
                files.append(path)
    return files


@cache
def _reads_of_file(path: Path) -> tuple[EnvRead, ...]:
    return tuple(env_reads_in_source(path.read_text(), path.relative_to(REPO).as_posix()))


def env_reads(*roots: Path) -> list[EnvRead]:
    return [read for path in runtime_sources(*roots) for read in _reads_of_file(path)]


COMMON = SIS / "common" / "sis_common"


def code_roots_of(project: str) -> list[Path]:
    """What an app container of the project runs: its code and the shared library."""
    return [SIS / project, COMMON]


def ops_code_roots() -> list[Path]:
    return [SIS / "ops" / "sis_ops", COMMON]


@cache
def _library_calls() -> dict[str, frozenset[str]]:
    """Each function of the shared library and the names its body mentions."""
    calls: dict[str, frozenset[str]] = {}
    for path in runtime_sources(COMMON):
        for fname, fnode in _functions(ast.parse(path.read_text())):
            mentioned = frozenset(n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(fnode)
                                  if isinstance(n, (ast.Name, ast.Attribute)))
            calls[fname] = calls.get(fname, frozenset()) | mentioned
    return calls


def _reachable(names: set[str]) -> set[str]:
    """The names, and what the library functions among them mention, until nothing new is reached."""
    calls, reached, todo = _library_calls(), set(names), list(names)
    while todo:
        for mentioned in calls.get(todo.pop(), ()):
            if mentioned not in reached:
                reached.add(mentioned)
                todo.append(mentioned)
    return reached


def needed_reads(roots: list[Path]) -> list[EnvRead]:
    """Reads of the container's own code, and those of library functions its own code calls, directly or not."""
    own = [r for r in roots if r != COMMON]
    used = _reachable(names_used(*own))
    library = COMMON.relative_to(REPO).as_posix() + "/"
    return [r for r in env_reads(*roots)
            if not r.where.startswith(library) or r.function is None or r.function in used]


def matches(read: EnvRead, names) -> list[str]:
    return [n for n in names if fnmatch.fnmatchcase(n, read.name)]
