"""import_articles finds a folder's files as Path.rglob would, in the same order."""

from pathlib import Path

from articles.ingest.pipeline import SUPPORTED_SUFFIXES
from articles.management.commands.import_articles import expand_paths


def test_it_finds_the_files_rglob_finds_in_path_order(tmp_path):
    folder = tmp_path / "batch"
    for name in ["a/x.txt", "a-b/x.txt", "a/b/deep.HTML", "b.txt", "B.txt", "a/.hidden.txt", "a/notes.md"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("Title\n\nBody.", encoding="utf-8")
    (folder / "a" / "folder.txt").mkdir()  # a folder with a file's suffix
    (folder / "linked").symlink_to(folder / "a", target_is_directory=True)
    (folder / "link.txt").symlink_to(folder / "b.txt")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    expected = sorted(
        p for p in Path(folder).rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
    found = [Path(name) for name in expand_paths([folder])]
    assert found == expected
    assert folder / "a-b" / "x.txt" in found and folder / "link.txt" in found
    assert folder / "broken.txt" not in found and not any("linked" in p.parts for p in found)
