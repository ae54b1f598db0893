"""What OneStory says, in one place: short, plain, kind, and SMS-sized (GSM-7 characters only)."""

INTRO = (
    "Hello, I'm OneStory. I keep one care record for your family, so you only tell your story once, "
    "and I can tell you who is responsible for what. Only family members you add, and your named lead "
    "professional, can see it. Is it OK for me to keep what you tell me? Reply YES to agree."
)
CONSENT_FIRST = (
    "Before I keep anything about your family I need your OK. I keep one care record that only family "
    "members you add, and your lead professional, can see. Reply YES to agree, and I'll note what you've "
    "told me."
)
CONSENT_OFFER = (
    "I can also keep your family's story, so you never have to repeat it to anyone. Reply YES if that's OK."
)
CONSENT_THANKS = (
    "Thank you. I'll keep one record for your family, so nobody has to ask you twice."
)
ASK_FOR_STORY = (
    "Tell me about the person you look after: who they are, their conditions and medicines, and their "
    "postcode. Several things in one message is fine."
)
NO_CONSENT_OK = (
    "That's fine, I won't keep anything about you. You can still ask me who is responsible for "
    "something, any time."
)
NO_RECORD = (
    "I don't have a family record for this number, so I can't share anything. Reply YES if you'd like "
    "me to start one for your family."
)
INVITED_REMINDER = (
    "{who} has invited you to join your family's care record on OneStory. Reply YES from this phone to "
    "join. Until then I can't show you anything from it."
)
INVITE_SMS = (
    "Hello{name}. {who} has invited you to join your family's care record on OneStory, so you can see "
    "and add to it too. Reply YES from this phone to join, or ignore this text."
)
WELCOME_MEMBER = (
    "Welcome{name}, you're now linked to your family's record. You won't need to repeat anything your "
    "family has already told me."
)
EMPTY = (
    "I didn't get any words in that message. You can tell me about the person you care for, ask who is "
    "responsible for something, or text HELP."
)
NO_WORDS = (
    "I can only read words, not pictures or emoji. Tell me what's happening, or ask who is responsible "
    "for something."
)
NOT_ENGLISH = (
    "Sorry, I can only read English at the moment. If you'd like an interpreter, text PERSON and your "
    "lead professional will arrange one."
)
NOTHING_FOUND = (
    "Thanks. I couldn't pick out anything to add to the record from that. You can tell me about "
    "conditions, medicines, equipment, their GP or postcode, or what matters to them."
)
KEPT_REST = 'The rest I\'ve kept in your own words: "{words}"'
KEPT_WORDS = (
    "Thanks. I've kept that in your own words on {who}'s record, so nothing you tell me is lost: \"{words}\""
)
CONDOLENCE = "I'm so sorry about {who}. I've noted it on the record, so nobody asks you about it again."
CORRECTION_UNCLEAR = (
    "Sorry, I couldn't tell which part is wrong. Tell me what it should say, for example 'she stopped "
    "the donepezil' or 'her GP is now Riverside Surgery'."
)
ASK_INVITE_PHONE = "What's {name}'s mobile number? I'll text them an invitation."
BAD_CONVERSATION = (
    "Sorry, I can't carry on this conversation: its id is too long or has characters I can't use. "
    "Reload the page to start a new one."
)
DB_DOWN = (
    "Sorry, I can't reach your family's record right now. I've kept your message and will add it as "
    "soon as I can; you don't need to send it again."
)
HELP = (
    "OneStory keeps one care record for your family, shared with the family members you add, so you tell "
    "your story once. Ask me who is responsible for something, tell me what's changed, or text PERSON to "
    "reach your named lead professional. In an emergency call 999; for urgent medical help call 111."
)
FALLBACK = (
    "Sorry, I didn't quite follow that. You can tell me about the person you care for, ask 'who is "
    "responsible for...', or text PERSON to reach a real person."
)
THANKS = "You're welcome. I'm here whenever you need me."
GOODBYE = "Take care. Text me any time; I'll remember your family's story."
OK = "OK. Tell me anything new about the person you care for, or ask who is responsible for something."
WITHDRAWN = (
    "Done. I've recorded that you withdrew your consent today. I won't keep or show anything more to "
    "this number."
)
WITHDRAWN_CLOSED = (
    " Nobody else in your family is linked, so the record is now closed; your lead professional can "
    "arrange for it to be deleted."
)
CONFIRM_WITHDRAW = (
    "If you withdraw your consent I'll stop keeping or showing your family's record to this number. "
    "Reply YES to confirm, or anything else to keep things as they are."
)
NOTHING_TO_WITHDRAW = "I don't hold a record for this number, so there's nothing to withdraw."
MORE_HINT = "Reply MORE for the full record."
WEB_NEEDS_PHONE = (
    "To keep or see your family's record here, I first need to check your mobile number. Text this "
    "service from your phone, or give me your number and I'll send a code."
)
# Entry codes are never kept nor texted (data/vocabulary/access.yml): said whenever access is asked
# about and a key safe or a code is on the record, so the carer knows where the code is not.
CODES_NOT_KEPT = "I never keep entry codes, as texts aren't safe for them: ask the family for the code."
