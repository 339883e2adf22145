"""The project's modules import one another without a cycle.

Every module of the three project packages is parsed (nothing is imported), and every import it makes
is an edge — imports inside functions too, since a function-level import only hides a cycle until the
function runs. Imports under `if TYPE_CHECKING:` never run and are left out.

An import is resolved to the module that defines the name: `from .services import permit_issue` points at
`approvals.services.permits` when the package's `__init__` re-exports it from there, and
`from . import notifying` points at the submodule. Importing a submodule is not counted as importing its
parent packages: Python runs a package's `__init__` first, but by then the package is already being
imported, so counting it would make every package with re-exports look like a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "approvals",
    "apec_cards",
    "exchanges",
    "foreign_affairs",
    "foreign_offices",
    "overseas_safety",
    "projects",
    "training",
)


class Module:
    def __init__(self, name: str, path: Path, is_package: bool):
        self.name, self.path, self.is_package = name, path, is_package
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def absolute(self, node: ast.ImportFrom) -> str:
        """The absolute module name of a `from ... import` (relative levels resolved)."""
        if not node.level:
            return node.module
        base = self.package.split(".")
        if node.level > 1:
            base = base[: -(node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def imports(self):
        """Each import statement that runs, as (module, names or None, line)."""
        for node in _executed(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name, None, node.lineno
            elif isinstance(node, ast.ImportFrom):
                yield self.absolute(node), [alias.name for alias in node.names], node.lineno


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _executed(tree: ast.AST):
    """Every node of the tree, in source order, but the bodies of `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(reversed(node.orelse))
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def discover(root: Path = ROOT, packages=PACKAGES) -> dict[str, Module]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = Module(".".join(parts), path, is_package)
    return modules


def _reexports(module: Module) -> dict[str, str]:
    """{name: absolute module it is imported from} for the names a package `__init__` imports."""
    found = {}
    for node in module.tree.body:
        if isinstance(node, ast.ImportFrom):
            source = module.absolute(node)
            for alias in node.names:
                found[alias.asname or alias.name] = (source, alias.name)
    return found


def _defining_module(modules: dict[str, Module], module: str, name: str, seen=()) -> str:
    """The module that `from module import name` really depends on."""
    if f"{module}.{name}" in modules:
        return f"{module}.{name}"
    package = modules.get(module)
    if package is None or not package.is_package or module in seen:
        return module
    source = _reexports(package).get(name)
    if source is None or source[0] not in modules:
        return module
    return _defining_module(modules, source[0], source[1], (*seen, module))


def graph(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    """{module: {imported module: line of the first import}} within the project."""
    edges = {name: {} for name in modules}
    for name, module in modules.items():
        for target, names, line in module.imports():
            if target not in modules:
                continue
            resolved = [target] if names is None else [_defining_module(modules, target, n) for n in names]
            for other in resolved:
                if other != name:
                    edges[name].setdefault(other, line)
    return edges


def components(edges: dict[str, dict[str, int]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan): each holds an import cycle."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def connect(node):
        # Iterative Tarjan: deep import chains must not hit the recursion limit.
        work = [(node, iter(sorted(edges[node])))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[current])
                if low[current] == index[current]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == current:
                            break
                    if len(component) > 1:
                        found.append(component)

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """One shortest loop per component."""
    return [_shortest_loop(edges, component) for component in components(edges)]


def _shortest_loop(edges, component: set[str]) -> list[str]:
    start = min(component)
    paths, queue = {start: [start]}, [start]
    while queue:
        current = queue.pop(0)
        for child in sorted(edges[current]):
            if child == start:
                return [*paths[current], start]
            if child in component and child not in paths:
                paths[child] = [*paths[current], child]
                queue.append(child)
    raise AssertionError(f"no loop in {component}")


def describe(loop: list[str], edges) -> str:
    return " -> ".join(
        f"{module} (line {edges[module][loop[i + 1]]})" if i + 1 < len(loop) else module
        for i, module in enumerate(loop)
    )


# Cycles in modules outside the change that added this test, reported to their owners. Each must still be
# there (delete its line once it is untied) and no other cycle may appear.
KNOWN_CYCLES: set[frozenset[str]] = set()  # none: a cycle found is fixed, not listed


def test_project_modules_import_each_other_without_a_cycle():
    modules = discover()
    assert {"approvals.services.transitions", "apec_cards.tasks", "foreign_affairs.tasking"} <= set(modules)
    edges = graph(modules)
    found = {frozenset(component): component for component in components(edges)}
    new = [_shortest_loop(edges, component) for key, component in found.items() if key not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(describe(loop, edges) for loop in new)
    untied = [sorted(known) for known in KNOWN_CYCLES if known not in found]
    assert not untied, f"no longer a cycle, delete it from KNOWN_CYCLES: {untied}"


# The checker itself, on small made-up packages -----------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> dict[str, Module]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return discover(root, ("app",))


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    modules = _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tasks.py": "from .services import run\n",
            "app/services/__init__.py": "from .work import run\n",
            "app/services/work.py": "def run():\n    from ..tasks import go\n",
        },
    )
    edges = graph(modules)
    assert edges["app.tasks"] == {"app.services.work": 1}
    assert cycles(edges) == [["app.services.work", "app.tasks", "app.services.work"]]
    assert describe(cycles(edges)[0], edges) == (
        "app.services.work (line 2) -> app.tasks (line 1) -> app.services.work"
    )


@pytest.mark.parametrize(
    "work",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..tasks import go\n",
        "def run():\n    pass\n",
    ],
)
def test_re_exports_and_type_checking_imports_make_no_cycle(tmp_path, work):
    modules = _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tasks.py": "from .services import run\nfrom . import services\n",
            "app/services/__init__.py": "from .work import run\nfrom .other import helper\n",
            "app/services/work.py": work,
            "app/services/other.py": "from . import work\nfrom app.services import run\n",
        },
    )
    edges = graph(modules)
    assert edges["app.services.other"] == {"app.services.work": 1}
    assert set(edges["app.tasks"]) == {"app.services.work", "app.services"}
    assert cycles(edges) == []
