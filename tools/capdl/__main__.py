"""`python3 -m capdl ...` (what `./sigil spec ...` runs)."""

import sys

from .cli import main

sys.exit(main())
