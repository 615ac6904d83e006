"""``--audience`` on the command line (dsdash.policy): a public gap matrix and deck of the embedded data."""

import io
import json

from pptx import Presentation

from dsdash.__main__ import main
from dsdash.dataset import load_embedded


def test_public_gap_matrix_is_by_district(capsys):
    assert main(["gaps", "--as-of", "2023-12-10", "--audience", "public", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sites"] == 3 and doc["cells"] == 3 * 14  # three districts of two sites or more, 14 services
    names = {c["site_name"] for c in doc["matrix"]}
    assert names == {"Al-Falluja district (18 sites)", "Al-Ramadi district (3 sites)", "Al-Rutba district (6 sites)"}


def test_confidential_is_the_default(capsys):
    assert main(["gaps", "--as-of", "2023-12-10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sites"] == 28


def test_public_deck_states_its_audience_and_names_no_site(tmp_path, capsys):
    out = tmp_path / "public.pptx"
    assert main(["pack", "--out", str(out), "--audience", "public"]) == 0
    prs = Presentation(io.BytesIO(out.read_bytes()))
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Made for a public audience" in text
    assert not [n for n in load_embedded().sites["site_name"] if n in text]
