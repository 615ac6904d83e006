"""``python -m dsdash hotspots``: the embedded hotspots, a scores file through the rule, exit codes."""


def test_command_line_hotspots(tmp_path, capsys):
    from dsdash.__main__ import main

    assert main(["hotspots"]) == 0
    out = capsys.readouterr().out
    assert "Ninewa" in out and "490,230" in out and "1,545,846 returnees in 35 sub-districts" in out
    f = tmp_path / "s.csv"
    f.write_text("sub-district,livelihoods,safety,returnees\nA,medium,low,59999\nB,medium,low,60000\n"
                 "C,purple,low,1\n", encoding="utf-8")
    out_csv = tmp_path / "out.csv"
    assert main(["hotspots", str(f), "--csv", str(out_csv)]) == 1  # row C rejected
    cap = capsys.readouterr()
    assert "row 4" in cap.err and "livelihoods_severity" in cap.err
    assert "HOTSPOT  B: medium severity with 60,000 returnees" in cap.out
    assert "-        A: not a hotspot" in cap.out
    text = out_csv.read_text(encoding="utf-8-sig")
    assert "hotspot_reason" in text and "59999" in text.replace(",", "")
    assert main(["hotspots", str(tmp_path / "missing.csv")]) == 2
