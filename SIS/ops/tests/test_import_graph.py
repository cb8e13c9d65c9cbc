"""sis_ops imports form no circle: each module imports only modules that do not import it back."""
import ast
from pathlib import Path

import sis_ops

PACKAGE = Path(sis_ops.__file__).parent


def relative_imports(path: Path) -> set[str]:
    """The sis_ops modules a file imports, at module level or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
    return names


def circles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    found = set()

    def walk(start: str, path: list[str]) -> None:
        for target in graph.get(path[-1], ()):
            if target == start:
                i = path.index(min(path))
                found.add(tuple(path[i:] + path[:i]))
            elif target not in path:
                walk(start, path + [target])

    for module in graph:
        walk(module, [module])
    return found


def test_a_circle_is_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}


def test_sis_ops_has_no_import_circle():
    graph = {path.stem: relative_imports(path) for path in PACKAGE.glob("*.py")}
    assert circles(graph) == set()
