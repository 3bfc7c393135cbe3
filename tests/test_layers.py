"""The features import one another in one direction only, and the foundation imports no feature.

Layers, lowest first: competitions -> applications -> screening -> lottery -> the later features.
A feature may import the foundation and the features below it, never one above (not even inside
a function): a lower feature that needs the upper one announces a signal (see `signals.py` in
the feature) which the upper one connects to. The aggregators (the site, the demo, the admin
area, `app/__init__.py` and `app/models.py`) may import anything. The checker reads every module
under app/ with `ast`, so imports inside functions and `from app import lottery` count too."""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

FEATURES = ["competitions", "applications", "screening", "lottery", "contracts", "payments", "mentoring", "monitoring",
            "final_reports", "surveys", "office_log", "reporting"]
FOUNDATION = {"assets", "auth", "audit", "mail", "kz", "enums", "errors", "extensions", "dbtypes", "almaty", "i18n", "pdf",
              "storage", "config", "tables", "page_cache"}
AGGREGATORS = {"site", "demo", "admin", "backup", "__init__", "models"}
NOT_CODE = {"static", "translations", "__pycache__"}


def part_of(module):
    """The part of the app a dotted module name ("app.lottery.views") belongs to: "lottery"; the
    package `app` itself (what `from app import PROJECT_ROOT` loads) is "__init__"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(node, module, is_package):
    """The app modules an import statement (or an importlib.import_module("...") call) loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module
        if base == "app":  # `from app import lottery` loads app.lottery; `from app import X` loads app
            return [f"app.{alias.name}" if _is_part(alias.name) else "app" for alias in node.names]
        return [base]
    if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None) in
                 ("import_module", "__import__"))):
        return [node.args[0].value]
    return []


def _is_part(name):
    """Whether `app.<name>` is a module or package (a feature not written yet counts)."""
    return name in {*FEATURES, *FOUNDATION, *AGGREGATORS} or (APP / name).is_dir() or (APP / f"{name}.py").is_file()


def upward_imports(path, source):
    """(line, the import as written, why it breaks the layers) for every import in `source`, the
    module at `path` (relative to the project, e.g. "app/screening/appeals.py"), that does."""
    parts = Path(path).with_suffix("").parts
    is_package = parts[-1] == "__init__"
    module = ".".join(parts[:-1] if is_package else parts)
    source_part = part_of(module)
    if source_part in AGGREGATORS:
        return []
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        for target in imported_modules(node, module, is_package):
            if target != "app" and not target.startswith("app."):
                continue
            target_part = part_of(target)
            if target_part not in (source_part, "__init__") and _breaks_layers(source_part, target_part):
                found.append((node.lineno, ast.unparse(node), f"{source_part} must not import {target_part}"))
    return found


def _breaks_layers(source_part, target_part):
    if target_part in FOUNDATION:
        return False
    if source_part in FOUNDATION:
        return True  # the foundation imports no feature, and nothing that imports features
    if target_part in AGGREGATORS:
        return True
    if target_part not in FEATURES:
        return True  # unclassified: see test_every_part_of_the_app_has_a_place
    return FEATURES.index(target_part) > FEATURES.index(source_part)


def app_modules():
    return sorted(path for path in APP.rglob("*.py") if not NOT_CODE & set(path.relative_to(APP).parts))


def test_no_feature_imports_a_higher_one_and_the_foundation_imports_no_feature():
    root = APP.parent
    problems = [
        f"{path.relative_to(root)}:{line}: {statement}  ({why})"
        for path in app_modules()
        for line, statement, why in upward_imports(path.relative_to(root), path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Imports against the layers (lowest first: " + " -> ".join(FEATURES) + "):\n" + \
        "\n".join(problems)


def test_every_part_of_the_app_has_a_place():
    parts = {path.stem if path.is_file() else path.name for path in APP.iterdir()
             if (path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py"}
    assert parts - NOT_CODE - set(FEATURES) - FOUNDATION - AGGREGATORS == set()


@pytest.mark.parametrize("path, source, flagged", [
    ("app/applications/submission.py", "from app.lottery import services as lottery\n", True),
    ("app/applications/submission.py", "def f():\n    from app.lottery.lifecycle import commit\n", True),
    ("app/applications/submission.py", "def f():\n    from app import lottery\n", True),
    ("app/screening/appeals.py", "import app.lottery.lifecycle\n", True),
    ("app/lottery/views.py", "from app import contracts\n", True),
    ("app/screening/appeals.py", "import importlib\nimportlib.import_module('app.lottery.lifecycle')\n", True),
    ("app/lottery/engine.py", "from ..screening import signals\n", False),
    ("app/competitions/__init__.py", "from .. import applications\n", True),
    ("app/competitions/views.py", "from . import services\n", False),
    ("app/errors.py", "from app.competitions.models import Competition\n", True),
    ("app/auth/views.py", "from app.models import Competition\n", True),
    ("app/auth/views.py", "from app import storage\nfrom app.audit.services import record\n", False),
    ("app/screening/appeals.py", "from app.applications.models import Application\nfrom app import storage\n",
     False),
    ("app/lottery/views.py", "from app import PROJECT_ROOT\nfrom app.site import views\n", True),
    ("app/site/views.py", "from app.lottery import reading\n", False),
    ("app/__init__.py", "def f():\n    from app.lottery import views\n", False),
])
def test_the_checker_flags_an_upward_import(path, source, flagged):
    assert bool(upward_imports(path, source)) is flagged


def test_the_checker_names_the_line_and_the_import():
    source = "import os\n\n\ndef withdrawable(application):\n    from app import lottery\n"
    assert upward_imports("app/applications/submission.py", source) == [
        (5, "from app import lottery", "applications must not import lottery")]
