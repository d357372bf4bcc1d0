"""The layering rules of the package (STYLE §7.1), checked on the source: imports flow one way,
there are no import cycles (type-only imports included), generators never touch HTTP, state or
the store, the journal never imports the inspector, and only the named modules stay at the top
level."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mockazure"
TOP_LEVEL = {
    "__init__", "__main__", "app", "cli", "config", "state", "errors", "clock", "determinism",
    "versions", "operations", "openapi", "testing", "pytest_plugin",
}  # fmt: skip
HTTP = ("fastapi", "starlette", "uvicorn", "httpx", "sse_starlette")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Statements run at import: the top level and `if TYPE_CHECKING:` blocks (not function
    bodies, where a deferred import is how a lazy entry point works)."""
    for node in tree.body:
        yield node
        if isinstance(node, ast.If):
            yield from node.body
            yield from node.orelse
        if isinstance(node, ast.Try):
            yield from node.body


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in _module_level(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                as_path = PACKAGE.parent / candidate.replace(".", "/")
                if as_path.with_suffix(".py").exists() or as_path.is_dir():
                    found.add(candidate)
    return found


GRAPH = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _own(imports: set[str]) -> set[str]:
    return {name for name in imports if name in GRAPH}


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in _own(GRAPH[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_package_has_no_import_cycles() -> None:
    assert _cycles() == []


def test_only_named_modules_stay_at_the_top_level() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")} - TOP_LEVEL
    assert loose == set()


def _importers(package: str) -> dict[str, set[str]]:
    return {m: deps for m, deps in GRAPH.items() if m == package or m.startswith(package + ".")}


def _starts(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # Generators are pure: no HTTP, no server state, no store, nothing above them.
        (
            "mockazure.generators",
            (*HTTP, "mockazure.state", "mockazure.store", "mockazure.gateway",
             "mockazure.serving", "mockazure.routers", "mockazure.journal", "mockazure.stubs",
             "mockazure.faults", "mockazure.recording", "mockazure.ui", "mockazure.app"),
        ),
        (
            "mockazure.protocol",
            (*HTTP, "mockazure.generators", "mockazure.state", "mockazure.store",
             "mockazure.gateway", "mockazure.serving", "mockazure.routers", "mockazure.stubs"),
        ),
        ("mockazure.jsonschema", (*HTTP, "mockazure.state", "mockazure.store", "mockazure.gateway")),
        ("mockazure.tokens", (*HTTP, "mockazure.state", "mockazure.store", "mockazure.gateway")),
        # The journal calls the keepers registered with it; it never imports the inspector.
        ("mockazure.journal", ("mockazure.ui", "mockazure.routers")),
        ("mockazure.serving", ("mockazure.routers", "mockazure.app")),
        ("mockazure.gateway", ("mockazure.routers", "mockazure.serving", "mockazure.app")),
    ],
)  # fmt: skip
def test_imports_flow_one_way(package: str, forbidden: tuple[str, ...]) -> None:
    broken = {
        module: sorted(d for d in deps if _starts(d, forbidden))
        for module, deps in _importers(package).items()
    }
    assert {m: d for m, d in broken.items() if d} == {}


def test_per_request_state_is_typed_notes_not_string_keys() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if 'scope["state"]' in p.read_text() or "request.state." in p.read_text()
    ]
    assert offenders == []


def test_one_place_decides_which_operation_a_request_is() -> None:
    defining = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "def operation_of(" in p.read_text()
    ]
    assert defining == ["operations.py"]


# Error families of their own, by design: ARM's `{"error": {code, message, details}}` shape
# (management/errors.py) and the work budget's refusal, which reads the budget's own limits.
ERROR_HOMES = {"errors.py", "management/errors.py", "budget/work.py"}


def test_azure_errors_live_in_errors_py() -> None:
    bases = ("AzureError", "InvalidRequest", "ResourceNotFound", "OperationError", "ArmError")
    pattern = re.compile(r"^class \w+\((?:" + "|".join(bases) + r")\)", re.M)
    scattered = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if str(p.relative_to(PACKAGE)) not in ERROR_HOMES and pattern.search(p.read_text())
    )
    assert scattered == []
