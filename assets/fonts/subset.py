#!/usr/bin/env python3
"""Rebuild NotoSansSC-Subset.otf: the editor's CJK font.

Keeps ASCII, the GB2312 punctuation rows, the 3755 GB2312 level-1 hanzi, and every
character used in the language reference, the example scenarios and the editor's
sources (its string table), so the UI and the examples always render.
Needs `pip install fonttools` and Debian's `fonts-noto-cjk`.
Run from the repository root: python3 assets/fonts/subset.py
"""
import glob, pathlib, subprocess

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # "Noto Sans CJK SC" inside the collection
OUT = "assets/fonts/NotoSansSC-Subset.otf"

chars = set(chr(c) for c in range(0x20, 0x7F))
# GB2312 rows 1-3 (punctuation, numbers, full-width forms) and 16-55 (level-1 hanzi).
for row in list(range(0xA1, 0xA4)) + list(range(0xB0, 0xD8)):
    for col in range(0xA1, 0xFF):
        try:
            chars.add(bytes([row, col]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for pattern in ["docs/*.md", "scenarios/**/*.drill", "editor/src/**/*.rs", "editor/tests/**/*.drill", "README.md"]:
    for path in glob.glob(pattern, recursive=True):
        chars.update(pathlib.Path(path).read_text(encoding="utf-8"))
chars = sorted(c for c in chars if c.isprintable() and ord(c) >= 0x20)
unicodes = ",".join(f"U+{ord(c):04X}" for c in chars)
subprocess.run([
    "pyftsubset", SOURCE, f"--font-number={SC_INDEX}", f"--unicodes={unicodes}",
    f"--output-file={OUT}", "--no-hinting", "--desubroutinize", "--layout-features=",
    "--name-IDs=*", "--notdef-outline",
], check=True)
print(f"{len(chars)} characters -> {OUT} ({pathlib.Path(OUT).stat().st_size // 1024} KiB)")
