"""``summary`` of a file that still waits for its group or date (QA finding F15): the counts of the file,
then a current picture that is not the file's (the seed's, or the other files'), which says so and names
the files left out; in JSON under ``left_out``. Answered, the file is in the picture and nothing is left out."""

from __future__ import annotations

import json

from dsdash.__main__ import main
from tests.support.dtm_fixtures import locations, master_list

SEED = "sites 28, households 3,147, individuals 18,882"  # the embedded seed's current picture (hand-checked)


def test_a_file_waiting_for_its_answer_is_named_as_left_out_of_the_picture(tmp_path, capsys):
    fx = master_list(locations(40, seed=6), gen="2023", fmt="csv", title_rows=False, filename="anbar.csv")
    path = tmp_path / fx.filename
    path.write_bytes(fx.data)
    assert main(["summary", str(path)]) == 2
    out = capsys.readouterr().out
    assert "rows in 40 = accepted 40 + rejected 0" in out
    assert SEED in out  # the seed's picture: the file is not in it ...
    said = ("Not in the picture below until its questions are answered (--group, --date): anbar.csv; the picture "
            "is the published workspace's, without it")
    assert said in out and out.index(said) < out.index(SEED)  # ... and that is said before it (review finding)
    assert main(["summary", "--json", str(path)]) == 2
    assert json.loads(capsys.readouterr().out)["left_out"] == ["anbar.csv"]
    assert main(["summary", "--json", "--group", "idp", "--date", "2024-04-30", str(path)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert "left_out" not in got and got["current"]["sites"] == 40 and got["current"]["households"] == fx.households
