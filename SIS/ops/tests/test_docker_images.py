"""The application Dockerfile, as each project builds it, against their compose files
and the local stack: base image, user, command, health check, and every file it copies."""
import ast
import glob
import importlib.metadata
import re
import shlex
import sys

import pytest

from sis_ops import docker, render
from sis_ops.stack import REPO, Stack

from docker_support import (
    APP_DOCKERFILE, DOCKERIGNORE, SIS, app_dockerfile, env_instructions, exec_form, healthcheck_cmd,
    ignore_patterns, is_ignored, copy_sources, load_compose, ops_code_roots, code_roots_of, parse_dockerfile,
    projects, resolve, runtime_sources,
)

PROJECTS = projects()  # slug -> project
EXCLUDES = REPO / "deploy" / "docker" / "image-excludes.txt"


def dockerfile(project: str):
    return app_dockerfile(project)


def final(project: str):
    return dockerfile(project)[-1]


def services_of_image(project: str) -> dict[str, dict]:
    """Every service of any compose file that runs this project's image."""
    image = load_compose(project)["services"][docker.app_host(slug_of(project))]["image"]
    return {name: s for p in PROJECTS.values() for name, s in load_compose(p)["services"].items()
            if s.get("image") == image}


def slug_of(project: str) -> str:
    return next(slug for slug, p in PROJECTS.items() if p == project)


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_compose_builds_this_dockerfile_from_the_repository_root(project):
    app = load_compose(project)["services"][docker.app_host(slug_of(project))]
    assert resolve(project, app["build"]["context"]) == REPO
    assert REPO / app["build"]["dockerfile"] == APP_DOCKERFILE
    assert app["build"]["args"] == {"PROJECT": project, "SLUG": slug_of(project)}
    assert app["image"] == f"ewtto/{project}:latest"


def test_the_dockerfile_takes_the_arguments_compose_gives_and_nothing_else():
    declared = {stage.name: stage.all("ARG") for stage in parse_dockerfile(APP_DOCKERFILE)}
    assert declared == {"build": [], None: ["PROJECT", "SLUG"]}  # no default: a build without them stops
    for project in PROJECTS.values():
        assert set(load_compose(project)["services"][docker.app_host(slug_of(project))]["build"]["args"]) == {
            "PROJECT", "SLUG"}


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_base_image_is_debian_slim_with_python_of_our_version(project):
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    for stage in dockerfile(project):
        # the one base of every image, built by deploy/docker/base-image where no registry answers
        assert stage.base == "debian:bookworm-slim", f"{project}: {stage.base}"
        assert f"python{ours}" in " ".join(stage.all("RUN")).split(), f"{project}: not Debian's python{ours}"


def test_the_app_images_share_their_first_layers():
    """No argument is in scope before the project's own instructions: every build reuses those layers."""
    *builds, image = parse_dockerfile(APP_DOCKERFILE)
    for stage in builds:
        assert "$" not in " ".join(args for _, args in stage.instructions).replace("$PATH", "")
    first_arg = [keyword for keyword, _ in image.instructions].index("ARG")
    shared = image.instructions[:first_arg]
    assert not any(re.search(r"\$\{?(PROJECT|SLUG)\b", args) for _, args in shared), shared
    # what every project needs, and the slow part of the build, is above the line
    assert [args for keyword, args in shared if keyword == "COPY"] == [
        "--from=build /opt/venv /opt/venv", "deploy/stack.toml /app/deploy/stack.toml",
        "SIS/common /app/SIS/common", "SIS/ops /app/SIS/ops"]
    assert any("apt-get install" in args for keyword, args in shared if keyword == "RUN")
    # below it, each project's build differs
    assert len({tuple(app_dockerfile(p)[-1].instructions) for p in PROJECTS.values()}) == len(PROJECTS)


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_runs_as_the_non_root_user_compose_expects(project):
    user = final(project).last("USER")
    assert user == f"{docker.APP_UID}:{docker.APP_UID}"  # numeric, so non-root is checkable
    assert f"--uid {docker.APP_UID}" in " ".join(final(project).all("RUN"))
    for name, service in services_of_image(project).items():
        assert service["user"] == user, f"{name} runs as {service.get('user')}, the image as {user}"


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_command_is_the_local_stacks_gunicorn_command(project, tmp_path):
    slug = slug_of(project)
    cmd = exec_form(final(project).last("CMD"))
    app = load_compose(project)["services"][docker.app_host(slug)]
    assert app["command"] == cmd
    # supervisor's program of the local stack: the same arguments after the gunicorn binary
    programs = "\n".join(render.programs(Stack(var=tmp_path, port=28000, db_port_base=28300)))
    block = programs.split(f"[program:app-{slug}]")[1]
    local = shlex.split(re.search(r"^command=(.*)$", block, re.M).group(1))
    assert [local[0].rsplit("/", 1)[-1], *local[1:]] == cmd
    assert final(project).last("WORKDIR") == f"/app/SIS/{project}"  # where supervisor runs it (directory=)


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_health_check_asks_the_projects_health_route_where_gunicorn_listens(project):
    stage = final(project)
    check = healthcheck_cmd(stage.last("HEALTHCHECK"))
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*?)'", " ".join(check))
    assert url, check
    port, path = int(url.group(1)), url.group(2)
    assert port == docker.APP_PORT == int(env_instructions(stage)["EWTTO_GUNICORN_BIND"].rsplit(":", 1)[1])
    assert path == "/health"
    urls = (SIS / project / "config" / "urls.py").read_text()
    # the route comes from the project itself or from the shared service routes it includes
    assert 'path("health"' in urls or (
        "service_urlpatterns(" in urls and 'path("health"' in (SIS / "common" / "sis_common" / "urls.py").read_text())
    app = load_compose(project)["services"][docker.app_host(slug_of(project))]
    assert app["healthcheck"]["test"] == ["CMD", *check]
    assert str(docker.APP_PORT) in final(project).last("EXPOSE")


# build inputs that a step of deploy/docker/up writes, and that step
GENERATED = {"deploy/docker/wheels": "deploy/docker/wheelhouse"}


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_every_copied_file_exists_and_reaches_the_build(project):
    # BuildKit would read the Dockerfile's own <name>.dockerignore first: there is none, so both
    # builders read the context's
    assert not APP_DOCKERFILE.with_name("Dockerfile.dockerignore").exists()
    patterns = ignore_patterns(DOCKERIGNORE)
    stages = dockerfile(project)
    names = {s.name for s in stages if s.name}
    for stage in stages:
        for source in copy_sources(stage):
            if source in GENERATED:
                # made by deploy/docker/up before any build, never committed
                assert f"/{source}/" in (REPO / ".gitignore").read_text().splitlines(), source
                assert f'"$ROOT/{source}"' in (REPO / GENERATED[source]).read_text(), source
                continue
            found = glob.glob(str(REPO / source))
            assert found, f"{project}: COPY {source}: no such file in the repository"
            assert not is_ignored(source, patterns), f"{project}: COPY {source} is excluded by .dockerignore"
        for args in stage.all("COPY"):
            for word in shlex.split(args):
                if word.startswith("--from="):
                    assert word.removeprefix("--from=") in names, f"{project}: {word} is not a stage"


@pytest.mark.parametrize("project", sorted(PROJECTS.values()))
def test_the_image_holds_what_the_containers_run(project):
    copied = {src for s in dockerfile(project) for src in copy_sources(s)}
    # the project, the shared library, the ops tooling and the stack description sis_ops reads
    assert {f"SIS/{project}", "SIS/common", "SIS/ops", "deploy/stack.toml", "deploy/docker/wheels"} <= copied
    patterns = ignore_patterns(DOCKERIGNORE)
    for path in runtime_sources(*code_roots_of(project), *ops_code_roots()):
        relative = path.relative_to(REPO).as_posix()
        assert not is_ignored(relative, patterns), f".dockerignore: {relative} would be left out of the image"
    for source in copied:
        assert not is_ignored(source, patterns), f".dockerignore: COPY {source} is excluded"
    assert is_ignored(".venv/bin/python", patterns) and is_ignored("var/data/x", patterns)
    assert is_ignored(f"SIS/{project}/tests/test_x.py", patterns)
    assert is_ignored("deploy/docker/secrets/jwt-private.pem", patterns)


def test_dockerignore_matcher_follows_dockerignore_rules():
    patterns = ignore_patterns(DOCKERIGNORE)
    assert is_ignored("README.md", patterns)
    assert not is_ignored("SIS/common/sis_common/conf.py", patterns)
    assert is_ignored("SIS/common/sis_common/__pycache__/conf.cpython-311.pyc", patterns)
    assert is_ignored("SIS/servicio_auth/staticfiles/admin/base.css", patterns)  # SIS/*/staticfiles
    assert not is_ignored("SIS/servicio_auth/manage.py", patterns)


def test_dependencies_come_from_the_lock_less_the_test_only_packages():
    lock = {line.split("==")[0] for line in (REPO / "requirements.lock").read_text().splitlines()
            if line and not line.startswith("#")}
    excluded = [line for line in EXCLUDES.read_text().splitlines() if line and not line.startswith("#")]
    assert set(excluded) <= lock, f"not in requirements.lock: {sorted(set(excluded) - lock)}"
    wheelhouse = (REPO / "deploy" / "docker" / "wheelhouse").read_text()
    assert "image-excludes.txt" in wheelhouse and "requirements.lock" in wheelhouse
    for project in PROJECTS.values():
        runs = " ".join(dockerfile(project)[0].all("RUN"))
        # only the wheelhouse: a build needs no package index
        assert "--no-index --find-links /wheels --find-links /built -r /wheels/runtime.txt" in runs
        assert "pip check" in runs
        final_runs = " ".join(final(project).all("RUN"))
        assert "/app/SIS/common" in final_runs and "/app/SIS/ops" in final_runs and "ewtto.pth" in final_runs


def test_no_code_the_containers_run_imports_a_test_only_package():
    excluded = {line.lower() for line in EXCLUDES.read_text().splitlines() if line and not line.startswith("#")}
    providers = importlib.metadata.packages_distributions()
    offenders = []
    roots = [r for p in PROJECTS.values() for r in code_roots_of(p)] + ops_code_roots()
    for path in set(runtime_sources(*roots)):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            for module in modules:
                dists = {d.lower() for d in providers.get(module.split(".")[0], [])}
                if dists & excluded:
                    offenders.append(f"{path.relative_to(REPO)} imports {module}")
    assert not offenders, "left out of the images by deploy/docker/image-excludes.txt:\n" + "\n".join(offenders)


def test_the_ops_image_has_the_mariadb_programs_the_ops_code_runs():
    # the ops containers run the gateway image; sis_ops shells out to MariaDB's client programs
    programs = set()
    for path in runtime_sources(SIS / "ops" / "sis_ops"):
        programs |= set(re.findall(r"\"(mariadb(?:-dump|-binlog)?)\"", path.read_text()))
    runs = " ".join(final("gateway").all("RUN"))
    if programs:
        assert "mariadb-client" in runs.split(), f"sis_ops runs {sorted(programs)}: install mariadb-client"
    assert load_compose("gateway")["services"]["ops-tools"]["image"] == f"ewtto/{PROJECTS['gateway']}:latest"
