"""The optional C accelerator's functions, for the modules that use them.

``cleaner/_speedups.c`` is built by setup.py when a C compiler is there; without it (or with
``CLEANER_PURE_PYTHON=1`` in the environment) every caller runs its pure-Python reference, which
gives the same results (tests/test_speedups.py compares them).
"""

from __future__ import annotations

import os
from typing import Any


def c_function(name: str) -> Any:
    """``cleaner._speedups.<name>``, or None (not built, too old, or ``CLEANER_PURE_PYTHON=1``)."""
    if os.environ.get("CLEANER_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        from . import _speedups
    except ImportError:
        return None
    return getattr(_speedups, name, None)
