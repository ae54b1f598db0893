"""Run the Alembic migrations programmatically: `python -m bot.migrate [URL]`."""
from __future__ import annotations

import sys
from typing import Optional

from alembic import command
from alembic.config import Config

from bot.settings import ROOT, database_url


def alembic_config(url: Optional[str] = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: Optional[str] = None) -> None:
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else None)
    print("database migrated to head")
