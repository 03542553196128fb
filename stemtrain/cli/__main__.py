"""``python -m stemtrain.cli``."""

from . import main

raise SystemExit(main())
