"""Check the house rules that keep Marsad's dependency arrows one way.

Run it from anywhere: ``python scripts/check_architecture.py [--src src/marsad]``. It prints
one line per finding and exits 1 when there is any, 0 when the tree is clean:

(a) ``sql``: SQL outside ``src/marsad/store/``: a string literal that reads as a statement
    (SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE TABLE/INDEX ...,
    PRAGMA) or a ``.rows(`` / ``.execute(`` / ``.executemany(`` call;
(b) ``cycle``: an import loop among marsad modules, over module-level imports (imports
    inside functions run late and are left out, as are ``if TYPE_CHECKING:`` blocks).
    Importing ``marsad.a.b`` also runs ``marsad/a/__init__.py``, so it counts as an
    import of the package ``marsad.a`` too (unless the importer lives inside it);
(c) ``read-side``: a read-side module (views, service, web, the API's read routes,
    search, export, alert views) that imports ``marsad.pipeline`` anywhere, even lazily,
    or loads it at import time through other modules (the path is printed);
(d) ``arrow``: an import, anywhere in a module, against the one-way arrows
    ``cli``/``api``/``web`` -> ``service`` -> ``views`` -> ``store``, with the stages
    (text, dedup, cluster, extract, summarize, compare, ingest, models) below the store:
    a stage never imports the store or anything above it, and the read side's core never
    imports the API, the web pages or the CLI (see ``ARROWS``).

``--allow PREFIX`` (repeatable) reports findings in modules starting with PREFIX but does
not fail on them: e.g. ``--allow marsad.pipeline`` while another branch reworks it.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE_PACKAGE = "marsad.store"
PIPELINE = "marsad.pipeline"
# Modules that only read: they must never reach the writer (the pipeline). The API's
# writer (ingest endpoints, analysis refresher) lives in marsad.api.writer.
READ_SIDE = (
    "marsad.views",
    "marsad.service",
    "marsad.web",
    "marsad.api.routes",
    "marsad.api.alerts",
    "marsad.api.cache",
    "marsad.api.schemas",
    "marsad.api.security",
    "marsad.search",
    "marsad.export",
    "marsad.alerts.views",
    "marsad.alerts.atom",
)
# A literal that reads as an SQL statement (or the part of one that starts a statement).
SQL_PATTERN = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b"
    r"|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b"
    r"|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bDROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bPRAGMA\s+\w+"
)
STAGES = (
    "marsad.models",
    "marsad.text",
    "marsad.dedup",
    "marsad.cluster",
    "marsad.extract",
    "marsad.summarize",
    "marsad.compare",
    "marsad.ingest",
)
ABOVE_STAGES = (
    "marsad.store",
    "marsad.pipeline",
    "marsad.refresh",
    "marsad.views",
    "marsad.service",
    "marsad.search",
    "marsad.export",
    "marsad.alerts",
    "marsad.watch",
    "marsad.api",
    "marsad.web",
    "marsad.cli",
)
READ_CORE = ("marsad.views", "marsad.service", "marsad.search", "marsad.export", "marsad.alerts")
#: (modules, what they must never import, why): the arrows that point one way.
ARROWS = (
    (STAGES, ABOVE_STAGES, "a stage takes values and returns values; it never reaches up"),
    (READ_CORE, ("marsad.api", "marsad.web", "marsad.cli"), "the read side serves them"),
    # The store may use the data model and the Arabic rules (models, text), nothing above.
    (("marsad.store",), tuple(m for m in ABOVE_STAGES if m != "marsad.store"), "it is the bottom"),
)
SQL_CALLS = frozenset({"rows", "execute", "executemany", "executescript"})


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One broken rule, located."""

    kind: str  # "sql", "cycle" or "read-side"
    module: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.module}:{self.line}: {self.message}"


def module_name(path: Path, src: Path) -> str:
    """``src/marsad/api/app.py`` -> ``marsad.api.app``; a package's ``__init__`` -> the package."""
    parts = list(path.relative_to(src.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def load_modules(src: Path) -> dict[str, tuple[Path, ast.Module]]:
    """Every module under ``src`` (the ``marsad`` package folder), parsed."""
    modules = {}
    for path in sorted(src.rglob("*.py")):
        modules[module_name(path, src)] = (path, ast.parse(path.read_text("utf-8"), str(path)))
    return modules


# -- (a) SQL outside the store ------------------------------------------------------------
def sql_findings(module: str, tree: ast.Module) -> Iterator[Finding]:
    """SQL-looking string literals and query calls in one module."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and SQL_PATTERN.search(node.value)
        ):
            text = " ".join(node.value.split())
            yield Finding("sql", module, node.lineno, f"SQL string {text[:70]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            yield Finding("sql", module, node.lineno, f"query call .{node.func.attr}(...)")


# -- (b) import cycles --------------------------------------------------------------------
def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(body: list[ast.stmt], *, module_level: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements of a body; with ``module_level`` only those run at import time."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not (module_level and _is_type_checking(node.test)):
                yield from _imports(node.body, module_level=module_level)
            yield from _imports(node.orelse, module_level=module_level)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _imports(block, module_level=module_level)
            for handler in node.handlers:
                yield from _imports(handler.body, module_level=module_level)
        elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.While | ast.ClassDef) or (
            # A function body runs when called, not at import: only counted when asked.
            not module_level and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ):
            yield from _imports(node.body, module_level=module_level)


def imported_modules(
    module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]
) -> list[str]:
    """The marsad modules one import statement loads."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, *([base] if base else [])])
        # ``from pkg import sub`` loads the submodule when one exists by that name.
        targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    return [t for t in targets if t == "marsad" or t.startswith("marsad.")]


def import_graph(modules: dict[str, tuple[Path, ast.Module]]) -> dict[str, set[str]]:
    """Module -> marsad modules it loads at import time (its packages' ``__init__`` too)."""
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, tree) in modules.items():
        is_package = path.name == "__init__.py"
        own_packages = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
        for node in _imports(tree.body, module_level=True):
            for target in imported_modules(name, is_package, node, known):
                parts = target.split(".")
                for i in range(1, len(parts) + 1):
                    step = ".".join(parts[:i])
                    # A module's own packages are already loading when it runs: no new edge.
                    if step in known and step not in own_packages and step != name:
                        graph[name].add(step)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules, as one loop through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (deep graphs)
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return [_loop_through(graph, group) for group in sorted(groups)]


def _loop_through(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest import path from the group's first module back to itself."""
    members = set(group)
    start = group[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return group


# -- (c) the read side never imports the pipeline -------------------------------------------
def is_read_side(module: str) -> bool:
    """Whether a module belongs to the read side (see READ_SIDE)."""
    return any(module == r or module.startswith(r + ".") for r in READ_SIDE)


def read_side_findings(
    module: str, path: Path, tree: ast.Module, known: set[str], graph: dict[str, set[str]]
) -> Iterator[Finding]:
    """Imports of marsad.pipeline anywhere in a read-side module, and import-time paths
    from it to the pipeline through other modules."""
    direct = False
    for node in _imports(tree.body, module_level=False):
        for target in imported_modules(module, path.name == "__init__.py", node, known):
            if target == PIPELINE or target.startswith(PIPELINE + "."):
                direct = True
                yield Finding("read-side", module, node.lineno, f"imports {target}")
    route = _path_to(graph, module, PIPELINE)
    if route is not None and not direct:
        yield Finding("read-side", module, 0, "loads the pipeline: " + " -> ".join(route))


def _path_to(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A shortest import path from ``start`` to ``goal``, or None."""
    previous: dict[str, str] = {start: start}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child in previous:
                    continue
                previous[child] = node
                if child == goal:
                    path = [child]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return path[::-1]
                following.append(child)
        frontier = following
    return None


# -- (d) arrows -------------------------------------------------------------------------------
def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def arrow_findings(module: str, path: Path, tree: ast.Module, known: set[str]) -> Iterator[Finding]:
    """Imports (anywhere in the module) that point against the arrows of ``ARROWS``."""
    rules = [(banned, why) for who, banned, why in ARROWS if _under(module, who)]
    if not rules:
        return
    for node in _imports(tree.body, module_level=False):
        for target in imported_modules(module, path.name == "__init__.py", node, known):
            for banned, why in rules:
                if _under(target, banned):
                    yield Finding("arrow", module, node.lineno, f"imports {target} ({why})")


# -- all together ---------------------------------------------------------------------------
def check(src: Path) -> list[Finding]:
    """Every finding over the package folder ``src`` (``.../src/marsad``)."""
    modules = load_modules(src)
    known = set(modules)
    graph = import_graph(modules)
    findings: list[Finding] = []
    for name, (path, tree) in modules.items():
        if not (name == STORE_PACKAGE or name.startswith(STORE_PACKAGE + ".")):
            findings += sql_findings(name, tree)
        if is_read_side(name):
            findings += read_side_findings(name, path, tree, known, graph)
        findings += arrow_findings(name, path, tree, known)
    for loop in cycles(graph):
        findings.append(Finding("cycle", loop[0], 0, "import loop " + " -> ".join(loop)))
    return sorted(findings)


def _allowed(finding: Finding, prefixes: list[str]) -> bool:
    return any(finding.module == p or finding.module.startswith(p + ".") for p in prefixes)


def main(argv: list[str] | None = None) -> int:
    """Print every finding; exit 1 if any is not allowed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src" / "marsad")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="PREFIX",
        help="report, but do not fail on, findings in these modules (repeatable)",
    )
    args = parser.parse_args(argv)
    findings = check(args.src)
    failing = [f for f in findings if not _allowed(f, args.allow)]
    for finding in findings:
        print(("" if finding in failing else "(allowed) ") + str(finding))
    print(
        f"{len(failing)} finding(s)"
        + (f", {len(findings) - len(failing)} allowed" if len(findings) > len(failing) else "")
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
