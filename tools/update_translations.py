"""Extract messages, update the catalogs and write the Japanese table into ja/messages.po.

Usage: .venv/bin/python tools/update_translations.py  (prints msgids that still lack Japanese)."""
import os
import subprocess
import sys

from babel.messages.pofile import read_po, write_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))


def load_tables() -> dict:
    """Japanese tables from tools/ja_messages*.py (one file per area, so areas can be worked on apart)."""
    import glob
    import importlib
    table = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "tools", "ja_messages*.py"))):
        module = importlib.import_module(os.path.basename(path)[:-3])
        table.update(module.JA)
    return table


JA = load_tables()

TR = os.path.join(ROOT, "webapp", "translations")
POT = os.path.join(TR, "messages.pot")
BIN = os.path.dirname(sys.executable)


def main() -> int:
    subprocess.run([os.path.join(BIN, "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k", "lazy_gettext",
                    "--no-location", "--omit-header", "-o", POT, "webapp"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    missing = []
    for lang in ("ja", "en"):
        po = os.path.join(TR, lang, "LC_MESSAGES", "messages.po")
        if not os.path.exists(po):
            subprocess.run([os.path.join(BIN, "pybabel"), "init", "-i", POT, "-d", TR, "-l", lang], check=True,
                           stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(BIN, "pybabel"), "update", "-i", POT, "-d", TR, "-l", lang, "--no-fuzzy-matching",
                        "--ignore-obsolete"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if lang != "ja":
            continue
        with open(po, "rb") as f:
            catalog = read_po(f, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in JA:
                message.string = (JA[key],) if isinstance(message.id, tuple) else JA[key]
                message.flags.discard("fuzzy")
            else:
                missing.append(key)
        catalog.fuzzy = False
        with open(po, "wb") as f:
            write_po(f, catalog, no_location=True, width=120)
    for m in missing:
        print("missing ja:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
