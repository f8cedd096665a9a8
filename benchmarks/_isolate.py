"""Imported first by every benchmark script.

``benchmarks/calendar.py`` is named after the standard library's ``calendar`` (which
dateutil imports). A script run from this folder has the folder first on its import path,
where that file would shadow the standard module; so the folder leaves the import path
before anything else is imported.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
