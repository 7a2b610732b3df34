"""``python -m tui``: the same as the ``timeline-explorer`` command."""

import sys

from . import main

sys.exit(main())
