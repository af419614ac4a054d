"""Copy MathJax (from the django-static-mathjax wheel) into _vendor/ so the HTML loads nothing from a CDN.

_vendor/, not _static/: Jupyter Book 1 injects every .js found under _static/ into every page.
"""
import shutil
import sys
from pathlib import Path

import mathjax

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
TARGET = ROOT / "_vendor" / "mathjax"
SKIP = ("sre",)  # the speech-rule engine: 10 MB the book never uses


def main() -> int:
    if (TARGET / "tex-chtml.js").is_file():
        return 0
    if not (SOURCE / "tex-chtml.js").is_file():
        print(f"vendor: MathJax not found at {SOURCE}; is django-static-mathjax installed?", file=sys.stderr)
        return 1
    tmp = TARGET.with_name(".mathjax.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(SOURCE, tmp, ignore=shutil.ignore_patterns(*SKIP))
    tmp.replace(TARGET)
    print(f"vendor: MathJax copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
