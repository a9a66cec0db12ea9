"""Build script for the optional C accelerator (everything else is in pyproject.toml).

``cleaner._speedups`` speeds up the main-content classifier (rule M001), the rules' literal
prefilters and D001's shingles; ``cleaner._langdetect`` runs langdetect's detection loops
(``--language``) with langdetect's exact results. Both are optional:
without a C compiler ``pip install`` still succeeds and the pure-Python code runs (the
reference implementation; ``CLEANER_PURE_PYTHON=1`` forces it). ``-ffp-contract=off`` keeps
the compiler from fusing multiply-adds, so the C code rounds exactly like the Python code.
"""

import sys

from setuptools import Extension, setup

_ARGS = [] if sys.platform == "win32" else ["-ffp-contract=off", "-fno-fast-math"]

setup(
    ext_modules=[
        Extension("cleaner._speedups", ["cleaner/_speedups.c"], optional=True, extra_compile_args=_ARGS),
        Extension("cleaner._langdetect", ["cleaner/_langdetect.c"], optional=True, extra_compile_args=_ARGS),
    ],
)
