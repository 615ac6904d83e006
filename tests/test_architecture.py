"""Layer rules: dsdash never imports Streamlit; pages hold no business logic."""

import ast
import subprocess
import sys

from tests.support.paths import ROOT


def test_dsdash_never_imports_streamlit_statically():
    offenders = []
    for path in (ROOT / "dsdash").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_importing_every_dsdash_module_does_not_load_streamlit():
    mods = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "dsdash").rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import sys, importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in mods)
    code += "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pages_do_not_import_pandas_computation_helpers():
    """Pages read widgets, call dsdash and render: no groupby/merge/pivot in a page."""
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        for word in (".groupby(", ".merge(", ".pivot", ".apply("):
            assert word not in text, f"{page.name} computes ({word}): move it to dsdash"
