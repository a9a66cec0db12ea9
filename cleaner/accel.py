"""The optional C accelerator's functions, for the modules that use them.

``cleaner/_speedups.c`` and ``cleaner/_langdetect.c`` (langdetect's detection loops) are built by
setup.py when a C compiler is there; without them (or with ``CLEANER_PURE_PYTHON=1`` in the
environment) every caller runs its pure-Python reference, which gives the same results
(tests/test_speedups.py and tests/test_language.py compare them).
"""

from __future__ import annotations

import importlib
import os
from typing import Any


def c_module(name: str) -> Any:
    """The C extension ``cleaner.<name>``, or None (not built, or ``CLEANER_PURE_PYTHON=1``)."""
    if os.environ.get("CLEANER_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError:
        return None


def c_function(name: str) -> Any:
    """``cleaner._speedups.<name>``, or None (not built, too old, or ``CLEANER_PURE_PYTHON=1``)."""
    return getattr(c_module("_speedups"), name, None)
