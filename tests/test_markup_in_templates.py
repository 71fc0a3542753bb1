"""Markup lives in templates: no module of the apps builds HTML.

Every string literal of the apps' code (docstrings aside) is read for an HTML tag, and every call for the
helpers that mark text as HTML (`format_html`, `format_html_join`, `mark_safe`, `SafeString`). A table row,
a field or a message with a link is a template (a partial, `{% partialdef %}`, when it is small); Python
hands it values. The tests and migrations are not read.
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]

TAG = re.compile(
    r"<\s*/?\s*(a|b|br|button|details|div|em|form|h[1-6]|i|img|input|label|li|ol|optgroup|option|p|script|"
    r"section|select|small|span|strong|summary|sup|table|tbody|td|textarea|tfoot|th|thead|tr|ul)\b",
    re.IGNORECASE,
)
HTML_HELPERS = {"format_html", "format_html_join", "mark_safe", "SafeString"}

# (module, helper): the few places that mark text safe without writing markup, each with its reason.
ALLOWED = {
    # `script_json`: JSON inside a <script type="application/json"> the template writes; `<`, `>`, `&` escaped.
    ("baolam_portal/templatetags/portal.py", "mark_safe"),
}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" not in parts and "migrations" not in parts:
                yield path


def _docstrings(tree):
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))]
    return {
        id(node.body[0].value)
        for node in nodes
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }


def _html_built(path, module):
    """Where a module (`module`: its path in the project) writes an HTML tag in a string or calls an HTML
    helper: (line, what) pairs."""
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            match = TAG.search(node.value)
            if match:
                found.append((node.lineno, f"a string with {match.group(0)!r}"))
        elif isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
            if name in HTML_HELPERS and (module, name) not in ALLOWED:
                found.append((node.lineno, f"a call of {name}"))
    return found


def test_no_module_of_the_apps_builds_html():
    built = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        for line, what in _html_built(path, path.relative_to(ROOT).as_posix())
    ]
    assert built == [], "HTML built in Python (write a template):\n" + "\n".join(built)


def test_the_check_finds_a_row_built_in_python(tmp_path):
    """The check itself: a cell in an f-string, a format_html call and a mark_safe call are found; a docstring
    that speaks of <tr> is not."""
    module = tmp_path / "rows.py"
    module.write_text(
        '"""Rows: each <tr> of the list."""\n'
        "from django.utils.html import format_html\n"
        "from django.utils.safestring import mark_safe\n"
        "def row(name):\n"
        '    cell = f"<td class=\\"name\\">{name}</td>"\n'
        "    return mark_safe(cell) + format_html('{}', name)\n"
    )
    found = {what for _line, what in _html_built(module, "rows.py")}
    assert found == {"a string with '<td'", "a string with '</td'", "a call of mark_safe", "a call of format_html"}
