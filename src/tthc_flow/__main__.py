"""``python -m tthc_flow`` runs the command line."""

import sys

from tthc_flow.cli import main

sys.exit(main())
