"""A benchmark or script run on its own (`python -m bench.doorplates`, as its docstring says) runs its `__main__`
block where it stands: a function defined below that block does not exist yet when the block runs. `make bench`
imports the modules whole, so only the direct run broke (bench.doorplates stopped at once with a NameError).
The block is the module's last statement."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted([*(ROOT / "bench").glob("*.py"), *(ROOT / "scripts").glob("*.py"), ROOT / "manage.py"])


def _is_main_block(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def test_the_modules_are_found():
    assert any(p.name == "doorplates.py" for p in MODULES) and any(p.parent.name == "scripts" for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_main_block_is_the_module_s_last_statement(path):
    body = ast.parse(path.read_text(encoding="utf-8")).body
    blocks = [i for i, node in enumerate(body) if _is_main_block(node)]
    assert not blocks or blocks == [len(body) - 1], (
        f"{path.relative_to(ROOT)}: statements follow its __main__ block (line {body[blocks[0]].lineno}), "
        "which runs before they exist")
