"""OneStory's own tags survive re-imports of feeds that know nothing of them.

A council's feed replaces each service's list of taxonomy links (`attributes`) when it gives one.
The roles and needs a maintainer gave a service in the console (OneStory's own taxonomies, see
bot.directory.tagging) are not the council's to take away: a re-import keeps them unless the feed
itself carries OneStory roles or needs for that service (as OneStory's own exports and the
Eastmere demo do), in which case the feed is the list.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from bot.directory import tagging
from bot.directory.validation import Located


class Curation:
    def __init__(self, conn: Connection, rows: dict[str, dict[str, Located]]) -> None:
        self.curated = tagging.curated_term_ids(conn)
        self.feed_tagged = {loc.values.get("link_id") for loc in rows.get("attributes", {}).values()
                            if loc.values.get("taxonomy_term_id") in self.curated}

    def keeps(self, attribute: dict[str, Any]) -> bool:
        """Should this stored attribute stay although the feed's list for its service leaves it out?"""
        return attribute.get("taxonomy_term_id") in self.curated and attribute.get("link_id") not in self.feed_tagged
