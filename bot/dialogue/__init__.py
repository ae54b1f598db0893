"""The conversation: what OneStory says to carers, turn by turn.

Plain Python (no Rasa): actions/ passes in a Turn (who, which channel, the words, the intent Rasa
recognised) and gets back the replies. Context that outlives a turn (consent pending, a
clarifying question) is kept in the database, not in Rasa slots.
"""
