"""How federation's modules use one another: through their public names only, so that a module's
private helpers can change without breaking another one."""

import ast
from pathlib import Path

import internationale.federation as federation

PACKAGE = Path(federation.__file__).parent


def _siblings() -> set[str]:
    return {path.stem for path in PACKAGE.glob("*.py")}


def test_no_federation_module_reaches_into_another_ones_private_names():
    siblings = _siblings()
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in siblings
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "") in siblings:
                found.extend(
                    f"{path.name}:{node.lineno} from {node.module} import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                )
    assert found == []
