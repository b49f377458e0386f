"""jixiao（绩效）：检查并按财预〔2020〕10号重算项目支出绩效自评表。"""

from __future__ import annotations

__version__ = "0.1.0"
