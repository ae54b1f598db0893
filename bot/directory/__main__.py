"""`python -m bot.directory ...`: see bot/directory/cli.py."""
import sys

from bot.directory.cli import main

sys.exit(main())
