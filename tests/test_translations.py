"""Japanese first, English complete: the catalogs cover every message in the code."""
import os
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TR = os.path.join(ROOT, "webapp", "translations")


def test_every_message_has_japanese(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "pybabel"), "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "N_", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "webapp"], cwd=ROOT, check=True,
                   capture_output=True)
    with open(pot, "rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with open(os.path.join(TR, "ja", "LC_MESSAGES", "messages.po"), "rb") as f:
        ja = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(f, locale="ja") if m.id}
    assert len(wanted) > 100  # the extraction really found the messages
    missing = sorted(m for m in wanted if not ja.get(m) or ja.get(m) == ("",))
    assert not missing, "run tools/update_translations.py and add Japanese for: %s" % missing
    assert os.path.exists(os.path.join(TR, "en", "LC_MESSAGES", "messages.po"))
