"""CLI: ``python -m moderation.analysis`` streams JSON lines; see cli.py."""

import sys

from .cli import main

sys.exit(main())
