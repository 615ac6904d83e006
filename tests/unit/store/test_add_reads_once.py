"""``python -m dsdash store add`` reads each file once (issue 14): the bytes parsed in the worker are
the bytes hashed and stored. Counted with a Python audit hook in a real child process."""

import subprocess
import sys
import textwrap

from tests.support.dtm_fixtures import locations, master_list
from tests.support.paths import ROOT


def test_store_add_opens_the_file_once(tmp_path):
    fx = master_list(locations(300, seed=2), round_=131, filename="IDP_ML_R131_2024-01-31.csv", fmt="csv")
    path = tmp_path / fx.filename
    path.write_bytes(fx.data)
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        opened = []
        def hook(event, args):
            if event == "open" and str(args[0]) == {str(path)!r}:
                opened.append(args[1])
        sys.addaudithook(hook)
        from dsdash.__main__ import main
        code = main(["store", "add", "--db", {str(tmp_path / "w.sqlite")!r}, {str(path)!r}])
        print("OPENED", len(opened), "EXIT", code)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    line = [x for x in out.stdout.splitlines() if x.startswith("OPENED")]
    assert line, out.stderr[-2000:]
    assert line[0] == "OPENED 1 EXIT 0", out.stderr[-2000:]
