"""What a carer's message says that belongs in the family care record.

`understand(text)` reads one message in the carer's own words and returns the people it is about,
the facts it states (several per message, any order), the facts it says are no longer true, and
whether it invites a family member. Rules, not a trained model: every fact needs evidence in the
sentence (a verb like "has" or "takes", a possessive, a dose), and hedged, negated or questioned
mentions are never stored as facts. A missing fact is better than a wrong one in a care record.

One module per family of readers, each importing only the ones below it: `results` (what a
reading produces), `reader` (the message being read), `phrases` (the phrase vocabulary), the
readers (`clinical`, `adjectives`, `help_needs`, `access_safety`, `preferences`, `communication`,
`gp`, `address`, `situation`, `age`, `appointments`, `unknown_medicines`, `invitation`), then
`second_passes` and `assembly`, which runs them all.
"""
from bot.language.facts.assembly import understand
from bot.language.facts.results import CATEGORIES, ExtractedFact, Invitation, Understanding
from bot.language.mentions import PersonMention

__all__ = ["CATEGORIES", "PersonMention", "ExtractedFact", "Invitation", "Understanding", "understand"]
