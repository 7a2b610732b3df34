"""The bundled corpus travels inside the wheel, so an installed app opens it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (found,) = out.glob("timeline_explorer-*.whl")
    return found


def test_the_wheel_carries_the_seed_corpus_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for source in sorted((ROOT / "seeds").iterdir()):
            inside = f"tui/seeds/{source.name}"
            assert inside in names, f"{inside} is missing from the wheel"
            assert archive.read(inside) == source.read_bytes()
        for styles in sorted((ROOT / "tui").rglob("*.tcss")):  # the app's styles ship too
            assert styles.relative_to(ROOT).as_posix() in names
        # The CSL styles `y` formats with, and their licence note.
        shipped = sorted((ROOT / "tui" / "styles").glob("*.csl"))
        assert shipped
        for style in [*shipped, ROOT / "tui" / "styles" / "README.md"]:
            inside = style.relative_to(ROOT).as_posix()
            assert inside in names and archive.read(inside) == style.read_bytes()


def test_the_installed_package_checks_its_bundled_corpus(wheel, tmp_path):
    # Unpack the wheel as an installer would, and run it from elsewhere, with
    # nothing of the source checkout on the path.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})  # ahead of any editable install of the checkout\n"
        "import tui, tui.resources\n"
        f"assert tui.__file__.startswith({str(site)!r}), tui.__file__\n"
        "from tui.cli import main\n"
        "sys.exit(main(['check']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{site}/tui/seeds/corpus.json: OK: 22 events" in result.stdout
