"""OneStory: the domain code behind the Rasa bot (records, directory, handoff, channels, console).

Nothing in bot.records, bot.directory or bot.handoff imports Rasa: those packages are plain
Python over SQLAlchemy so they can be tested and reused without the bot running.
"""
