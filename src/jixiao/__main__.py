"""Allow ``python -m jixiao``."""

from __future__ import annotations

from jixiao.cli import main

raise SystemExit(main())
