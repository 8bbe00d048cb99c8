"""The package's shape: stages as subpackages, no import circles, imports at the top."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import backlib

PACKAGE = Path(backlib.__file__).parent
STAGES = ("plan", "store", "progress", "charts", "report", "widgets")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Every import statement that runs (those under ``if TYPE_CHECKING:`` never do)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _targets(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The backlib modules an import statement loads (a submodule, not its package, when named)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    if node.module is None or node.level:
        return set()
    found = set()
    for alias in node.names:
        submodule = f"{node.module}.{alias.name}"
        if submodule in MODULES:
            found.add(submodule)
        elif node.module in MODULES:
            found.add(node.module)
    return found


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = set().union(*(_targets(node) for node in _imports(tree))) - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_circles():
    assert _cycles(_graph()) == []


def test_the_circle_check_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_inside_functions_say_why_import_time_demands_them():
    unexplained = []
    for name, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in _imports(function):
                nearby = " ".join(lines[max(0, node.lineno - 4) : node.lineno]).lower()
                if "import time" not in nearby and "optional" not in nearby:
                    unexplained.append(f"{name}:{node.lineno}")
    assert unexplained == []


def test_modules_inside_the_package_never_import_from_the_package_root():
    # `from backlib import X` inside backlib would run backlib/__init__ and its re-exports.
    offenders = []
    for name, path in MODULES.items():
        if name == "backlib":
            continue
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "backlib":
                plain = [a.name for a in node.names if f"backlib.{a.name}" not in MODULES]
                if plain:
                    offenders.append(f"{name}: {', '.join(plain)}")
    assert offenders == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_subpackage_that_re_exports_its_public_names(stage):
    package = importlib.import_module(f"backlib.{stage}")
    assert Path(package.__file__).name == "__init__.py"
    for public in getattr(package, "__all__", ()):
        assert hasattr(package, public), f"backlib.{stage}.{public}"


def test_no_module_refers_to_files_outside_the_repository():
    # Sources are named by themselves ("Ostelo 2008"), never by a team file or an issue number.
    outside = ("REFERENCE.md", "STACK.md", "TEAM.md", "DESIGN.md", "../shared", "issue ")
    offenders = [
        f"{name}: {word}"
        for name, path in MODULES.items()
        for word in outside
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "public",
    [
        "backlib.plan_routine",
        "backlib.open_store",
        "backlib.load_catalog",
        "backlib.RED_FLAGS",
        "backlib.PAIN_AREAS",
        "backlib.progress.assess",
        "backlib.progress.weekly_summary",
        "backlib.charts.pain_trend_figure",
        "backlib.charts.pain_trend_spec",
        "backlib.report.render",
        "backlib.report.render_all",
        "backlib.progression.next_doses",
        "backlib.progression.next_programme",
        "backlib.Programme",
        "backlib.Programme.routine",
        "backlib.Programme.swap",
        "backlib.Programme.remove",
        "backlib.Programme.add",
        "backlib.Programme.with_dose",
        "backlib.Programme.to_ics",
        "backlib.plan.alternatives",
        "backlib.questionnaires.score",
        "backlib.figures.exercise_svg",
        "backlib.screening.screen",
        "backlib.workbook.open_workbook_store",
        "backlib.fhir.patient_bundle",
    ],
)
def test_the_design_surface_still_resolves(public):
    module_name, _, attribute = public.rpartition(".")
    owner_name, _, owner_attribute = module_name.rpartition(".")
    if owner_attribute[:1].isupper():  # a method of a public class, e.g. backlib.Programme.swap
        owner = getattr(importlib.import_module(owner_name), owner_attribute)
    else:
        owner = importlib.import_module(module_name)
    assert callable(getattr(owner, attribute)) or attribute.isupper()
