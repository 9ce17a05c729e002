"""numpy and krippendorff load only when agreement is computed: every app server's worker
and every command that checks the URLs imports the agreement views, and numpy alone takes
about 60 ms to load."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def loaded_after(statement):
    code = (
        "import django, sys; django.setup(); "
        f"{statement}; "
        "print(sorted(m for m in ('numpy', 'krippendorff') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, a constant script)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return result.stdout.strip()


def test_it_loads_the_urls_without_numpy():
    assert loaded_after("from django.urls import get_resolver; get_resolver().url_patterns") == "[]"
