"""Dependencies point one way (ARCHITECTURE.md): the kernel `portal/` imports no domain app (apps
register what they need from AppConfig.ready()), and the domain apps import each other without
cycles. Read from the source, so a new import fails here before anyone runs the code."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("home", "notices", "members", "experts", "volunteers", "aid", "calls")


def imported_apps(path: Path, among: tuple[str, ...] = APPS) -> set[str]:
    """The top-level packages among `among` that a module imports, at any depth (also inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in among)
    return found


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def app_imports() -> dict[str, set[str]]:
    """app -> the other apps its code imports."""
    graph = {}
    for app in APPS:
        graph[app] = set()
        for path in modules(app):
            graph[app] |= imported_apps(path) - {app}
    return graph


def test_the_kernel_imports_no_domain_app():
    found = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path)) for path in modules("portal") if imported_apps(path)
    }

    assert found == {}


def test_nothing_that_runs_in_production_imports_the_demo():
    """The demo app sits on top of everyone and is installed in development and tests only."""
    found = [
        str(path.relative_to(ROOT))
        for package in (*APPS, "portal")
        for path in modules(package)
        if imported_apps(path, among=("demo",))
    ]

    assert found == []
    assert "demo" not in importlib.import_module("portal.settings.base").INSTALLED_APPS
    assert '"demo"' not in (ROOT / "portal" / "settings" / "production.py").read_text(encoding="utf-8")


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Pairs of apps that reach each other through imports (each strongly connected pair or larger
    group reported as the set of its apps)."""
    reach = {app: set() for app in graph}
    for app in graph:
        stack = list(graph[app])
        while stack:
            other = stack.pop()
            if other not in reach[app]:
                reach[app].add(other)
                stack.extend(graph.get(other, ()))
    groups = set()
    for app in graph:
        group = frozenset({app} | {other for other in reach[app] if app in reach[other]})
        if len(group) > 1:
            groups.add(group)
    return groups


def test_the_apps_import_each_other_without_cycles():
    assert cycles(app_imports()) == set()


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": set()}, set()),
        ({"a": {"b"}, "b": {"a"}}, {frozenset({"a", "b"})}),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, {frozenset({"a", "b", "c"})}),
    ],
)
def test_cycles_are_found_through_any_number_of_apps(graph, expected):
    assert cycles(graph) == expected


def test_an_import_inside_a_function_counts(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from notices.models import ArticlePage\n", encoding="utf-8")

    assert imported_apps(module) == {"notices"}
