"""What every browser test needs: Debian's Chromium, node and playwright-core, or a clear skip
(a failure in CI, where ONESTORY_REQUIRE_BROWSER=1)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.settings import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require_browser() -> None:
    ready = Path(CHROMIUM).exists() and shutil.which("node") is not None and (
        ROOT / "node_modules" / "playwright-core").exists()
    if ready:
        return
    if os.environ.get("ONESTORY_REQUIRE_BROWSER") == "1":
        raise RuntimeError("the browser tests need /usr/bin/chromium, node and node_modules/playwright-core")
    pytest.skip("chromium, node or playwright-core missing", allow_module_level=True)
