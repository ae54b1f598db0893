"""Tools that talk to a running OneStory from the outside, as carers and Twilio do (no bot/ imports)."""
