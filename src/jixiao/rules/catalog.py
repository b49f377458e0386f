"""Imports every rule module below ``jixiao.rules`` so each rule registers itself."""

from __future__ import annotations

import importlib
import pkgutil

import jixiao.rules as _package

for _info in pkgutil.walk_packages(_package.__path__, "jixiao.rules."):
    if not _info.ispkg and _info.name.rsplit(".", 1)[-1][:1].isupper():
        importlib.import_module(_info.name)
