"""moderation.resources stays pure Python: stdlib + PyYAML, no web/DB/tone-engine imports."""

import ast
import sys
from pathlib import Path

import moderation.resources as package

PACKAGE_DIR = Path(package.__file__).parent
ALLOWED_THIRD_PARTY = {"yaml"}


def imported_top_level_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def test_only_stdlib_and_yaml_imports():
    files = sorted(PACKAGE_DIR.glob("*.py"))
    assert files
    for path in files:
        for module, lineno in imported_top_level_modules(path):
            ok = module in sys.stdlib_module_names or module in ALLOWED_THIRD_PARTY
            assert ok, f"{path.name}:{lineno} imports {module!r}"


def test_catalog_data_file_ships_inside_the_package():
    assert (PACKAGE_DIR / "catalog.yaml").is_file()
