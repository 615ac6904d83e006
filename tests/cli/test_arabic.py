"""The command line in Arabic (issue 18): ``--lang ar`` (before or after the command) or an Arabic
``$LC_ALL``/``$LANG`` gives Arabic messages, help and deck; the figures stay the same. Real runs of
``python -m dsdash`` in a subprocess, as a user types them."""

import os
import re
import subprocess
import sys

from pptx import Presentation

from tests.support.paths import ROOT

ARABIC = re.compile(r"[\u0600-\u06FF]")


def _run(*args, lang_env: str | None = None, cwd=None):
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", ""), "DSDASH_HOME": os.environ["DSDASH_HOME"]}
    if lang_env:
        env["LANG"] = lang_env
    return subprocess.run([sys.executable, "-m", "dsdash", *args], cwd=cwd or ROOT, capture_output=True, text=True,
                          env=env, timeout=300)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:,\d{3})*", text)


def test_summary_in_arabic_says_the_same_figures():
    en, ar = _run("summary"), _run("summary", "--lang", "ar")
    assert en.returncode == ar.returncode == 0
    assert en.stdout.startswith("Current picture (latest round of each group, as of 10 Dec 2023): sites 28, "
                                "households 3,147, individuals 18,882")
    first = ar.stdout.splitlines()[0]
    assert first.startswith("الصورة الحالية (أحدث جولة لكل فئة، ") and "المواقع 28، الأسر 3,147، الأفراد 18,882" in first
    assert "Current picture" not in ar.stdout and "sites" not in ar.stdout
    assert _numbers(en.stdout) == _numbers(ar.stdout)  # every figure, in the same order


def test_help_in_arabic_before_or_after_the_command():
    for args in (("pack", "--help", "--lang", "ar"), ("--lang", "ar", "pack", "--help")):
        out = _run(*args)
        assert out.returncode == 0
        assert out.stdout.startswith("الاستخدام: python -m dsdash pack")
        assert "مكان كتابة العرض" in out.stdout  # --out: where to write the deck
        assert "عرض رسالة المساعدة هذه والخروج" in out.stdout  # -h
        assert "المواقع في هذه المحافظة فقط" in out.stdout  # --admin1, a shared view option
        assert "usage:" not in out.stdout and "where to write the deck" not in out.stdout
    english = _run("pack", "--help")
    assert english.stdout.startswith("usage: python -m dsdash pack") and "where to write the deck" in english.stdout
    assert "--lang {en,ar}" in english.stdout


def test_misuse_in_arabic_from_the_environment_and_lang_wins_over_it():
    out = _run("gaps", "--horizon", "ninety", lang_env="ar_IQ.UTF-8")
    assert out.returncode == 2
    assert out.stderr.startswith("dsdash gaps: خطأ: الوسيط --horizon: قيمة int غير صالحة: 'ninety'")
    out = _run("info", "--data-dir", "/no/such/folder", lang_env="ar_IQ.UTF-8")
    assert out.returncode == 2 and out.stderr.startswith("dsdash info: خطأ: --data-dir: ليس مجلدًا: /no/such/folder")
    out = _run("info", "--data-dir", "/no/such/folder", "--lang", "en", lang_env="ar_IQ.UTF-8")
    assert out.stderr.startswith("dsdash info: error: --data-dir: not a folder: /no/such/folder")


def test_pack_lang_ar_builds_the_arabic_deck(tmp_path):
    out = _run("pack", "--lang", "ar", "--out", str(tmp_path / "jcf.pptx"), "--as-of", "2023-12-10")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"كُتب {tmp_path / 'jcf.pptx'} (") and out.stdout.rstrip().endswith("بايت)")
    titles = [s.shapes.title.text_frame.text for s in Presentation(tmp_path / "jcf.pptx").slides
              if s.shapes.title is not None]
    assert len(titles) >= 10 and all(ARABIC.search(t) for t in titles), titles
    assert "الأرقام الرئيسية" in titles  # Key figures
