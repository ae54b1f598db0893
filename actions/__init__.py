"""The custom actions Rasa calls (`python -m rasa_sdk --actions actions`).

The action server imports this package before it listens: started directly (supervisord, a
container) rather than by `make run`'s launcher, it refuses development secrets at a public
address here, as the launcher does (bot.settings.refuse_development_defaults).
"""
from bot.settings import refuse_development_defaults

refuse_development_defaults()
