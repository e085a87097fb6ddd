"""Drawing a PDF imports nothing new once the app has started: imports inside request threads can
fail on CPython 3.11 (python/cpython#87712), so fonts.py imports what fpdf2, fontTools and Pillow
would otherwise import on the first PDF. A fresh interpreter shows whether that list is still whole."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_SCRIPT = """
import sys
from app import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
from bench.certificate_pdf import SIGNATURE, SNAPSHOT
from courseware.certificates.pdf import render_certificate_pdf
before = set(sys.modules)
render_certificate_pdf(SNAPSHOT, SIGNATURE)
render_certificate_pdf(SNAPSHOT, SIGNATURE, "VOID")
print(sorted(set(sys.modules) - before))
"""


def test_a_first_certificate_pdf_imports_no_module_in_the_request():
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
