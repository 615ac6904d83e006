"""``python -m dsdash pack``: writes the deck; misuse exits 2 with a clear message."""

import io
import subprocess
import sys

from pptx import Presentation

from dsdash.__main__ import main
from tests.support.paths import ROOT


def test_pack_writes_the_deck_with_area_forum_and_date(tmp_path, capsys):
    out = tmp_path / "rwg.pptx"
    assert main(["pack", "--out", str(out), "--forum", "RWG", "--as-of", "2024-03-01", "--area", "Rutba"]) == 0
    assert "wrote" in capsys.readouterr().out
    prs = Presentation(io.BytesIO(out.read_bytes()))
    assert len(prs.slides) == 11  # every slide but "What changed" (one round; no exit news since 1 Feb 2024)
    title = "\n".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "RWG meeting pack" in title and "Rutba" in title and "1 March 2024" in title


def test_pack_accepts_a_day_first_date(tmp_path):
    assert main(["pack", "--out", str(tmp_path / "d.pptx"), "--as-of", "01/03/2024"]) == 0


def test_bad_date_exits_2_with_a_message(tmp_path, capsys):
    assert main(["pack", "--out", str(tmp_path / "x.pptx"), "--as-of", "31/02/2024"]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and "31/02/2024" in err and "Traceback" not in err
    assert main(["pack", "--out", str(tmp_path / "x.pptx"), "--as-of", "soon"]) == 2
    assert not (tmp_path / "x.pptx").exists()


def test_unknown_area_and_bad_output_exit_2(tmp_path, capsys):
    assert main(["pack", "--out", str(tmp_path / "x.pptx"), "--area", "Atlantis"]) == 2
    assert "unknown area 'Atlantis'" in capsys.readouterr().err
    assert main(["pack", "--out", str(tmp_path / "x.pdf")]) == 2
    assert main(["pack", "--out", str(tmp_path / "missing" / "x.pptx")]) == 2
    assert main(["pack"]) == 2  # --out is required
    assert main(["pack", "--out", str(tmp_path / "x.pptx"), "--horizon", "-1"]) == 2


def test_pack_runs_as_a_module_from_any_directory(tmp_path):
    out = subprocess.run([sys.executable, "-m", "dsdash", "pack", "--out", "deck.pptx"], cwd=tmp_path,
                         capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "", "HOME": str(tmp_path)},
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "deck.pptx").stat().st_size > 50_000


def test_pack_reads_another_data_folder(tmp_path):
    import csv
    import shutil

    from dsdash.dataset import DATA_DIR

    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    rows = list(csv.reader(open(d / "population.csv", encoding="utf-8-sig", newline="")))
    col = rows[0].index("individuals")
    assert rows[1][0] == "ANB-01" and rows[1][col] == "42"
    rows[1][col] = "4200"
    with open(d / "population.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "own.pptx"
    assert main(["pack", "--out", str(out), "--data-dir", str(d)]) == 0
    prs = Presentation(io.BytesIO(out.read_bytes()))
    figures = "\n".join(sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame)
    assert f"{18_882 - 42 + 4200:,}" in figures
    assert main(["pack", "--out", str(out), "--data-dir", str(tmp_path / "nope")]) == 2


def test_pack_past_the_data_says_so(tmp_path, capsys):
    """On stderr and on the title slide: the as-of date is past the latest data."""
    out = tmp_path / "late.pptx"
    assert main(["pack", "--out", str(out), "--as-of", "2024-05-15"]) == 0
    err = capsys.readouterr().err
    assert "dsdash pack: warning: The as-of date, 15 May 2024, is past the latest data" in err
    title = "\n".join(sh.text_frame.text for sh in Presentation(io.BytesIO(out.read_bytes())).slides[0].shapes
                      if sh.has_text_frame)
    assert "The as-of date, 15 May 2024, is past the latest data (population counts: latest data 10 Dec 2023" in title
