"""Cleaning carers' SMS text before matching, and telling English from other languages."""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from bot.language.vocabulary import FOREIGN_WORDS

MAX_CHARS = 6000  # longer messages are cut: nobody tells a care record 6,000 characters at once

# SMS shorthand and frequent misspellings -> the words the rules expect.
_REPLACE = {
    r"w/": "with ", r"&": " and ", r"\+": " and ",
    r"cos|coz|cuz|bc|bcos|bcoz|becos|becuase|becasue|bcause": "because",
    r"tabs": "tablets", r"tabelts|tablests|tabets": "tablets",
    r"appt|appts|appnt|appointmnt|appoinment|appointmet|apointment|appoitment|appointmnet|apt": "appointment",
    r"hosp|hospi|hosptial|hospitel|hosiptal|hospial|hopsital|hospitial|hospitol|hozzy|hossy": "hospital",
    r"yrs|yr": "years", r"y/o|y\.o\.|yo|yrs old|yr old": "years old", r"wks|wk": "weeks",
    r"mths|mnths|mos": "months",
    r"tmrw|tmr|tomoz|2moro|2morrow|tomorow|tommorow|tommorrow": "tomorrow", r"2day|tday": "today",
    r"2nite|tonite": "tonight", r"nite": "night", r"b4": "before", r"pls|plz|plse": "please",
    r"ppl": "people", r"mornin": "morning", r"evenin": "evening", r"wiv|wiht|whith": "with",
    r"abt|bout": "about", r"altho": "although", r"tho": "though", r"u": "you", r"ur": "your",
    r"diagnosied|diagnosted|diagonsed|diagnossed|diagnoised|diagnosd|diagnoised|daignosed|dignosed": "diagnosed",
    r"taks|tkes|taeks|takse": "takes", r"tke|tak": "take", r"dus|duz": "does",
    r"docter|doctir|docotr": "doctor", r"nurce": "nurse",
    r"medecine|medicene|medicen": "medicine", r"medecation|medicaton|medciation": "medication",
    r"alzheimers'": "alzheimers", r"recieve": "receive", r"wheelchiar|weelchair": "wheelchair",
    r"dimentia|dementa|demetia|dementai|demntia|dementsia|demensia": "dementia",
    r"parkinsins|parkingsons|parkisons|parkinsonss": "parkinsons",
    r"pls add|plz add": "please add", r"n": "and", r"r": "are",
    r"doesnt": "doesn't", r"dont": "don't", r"didnt": "didn't", r"isnt": "isn't", r"wasnt": "wasn't",
    r"hasnt": "hasn't", r"havent": "haven't", r"hadnt": "hadn't", r"cant": "can't", r"wont": "won't",
    r"wouldnt": "wouldn't", r"couldnt": "couldn't", r"shouldnt": "shouldn't", r"arent": "aren't",
    r"werent": "weren't", r"shes": "she's", r"hes": "he's", r"theyre": "they're", r"im": "i'm",
    r"ive": "i've", r"youre": "you're", r"thats": "that's", r"whats": "what's", r"theres": "there's",
    r"weve": "we've", r"theyve": "they've", r"shed": "she'd", r"hed": "he'd", r"itll": "it'll",
    r"anymore": "any more", r"no1": "no one",
}
_REPLACE_RE = re.compile(r"(?<![\w'])(" + "|".join(_REPLACE) + r")(?![\w'])", re.IGNORECASE)
_LOOKUP = [(re.compile(r"^(?:" + k + r")$", re.IGNORECASE), v) for k, v in _REPLACE.items()]
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_INTRA_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])[-\u2010-\u2013](?=[A-Za-z])|(?<=[A-Za-z])[-\u2010-\u2013](?=[0-9])")


def _replace(match: re.Match) -> str:
    word = match.group(0)
    for pattern, value in _LOOKUP:
        if pattern.match(word):
            if value in ("are", "and") and word in ("R", "N"):
                return word  # a capital initial, not shorthand
            return value
    return word


def clean(text: str) -> str:
    """Normalised text that keeps the carer's capitals (names) but not their typing accidents."""
    text = (text or "")[:MAX_CHARS]
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\r", "\n")
    text = _INTRA_HYPHEN.sub(" ", text)
    text = _REPLACE_RE.sub(_replace, text)
    text = _SPACES.sub(" ", text)
    return text.strip()


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_ENGLISH_HINTS = {w for w in STOP_WORDS if len(w) >= 3} | {
    "mum", "dad", "husband", "wife", "son", "daughter", "takes", "has", "got", "she's", "he's", "lives",
    "hospital", "years", "old", "carer", "carers", "nan", "grandad", "please", "help", "tablets",
    "doesn't", "can't", "won't", "isn't", "i'm", "i've", "look", "after", "care", "needs", "hi", "hello",
    "thanks", "yes", "ok", "okay", "who", "what", "how", "my", "is", "he", "she", "we", "and", "the",
}


def looks_english(text: str) -> bool:
    """False for messages clearly in another language (Welsh, Polish, Urdu script, ...)."""
    words = _WORD.findall(text.lower())
    if not words:
        return True
    english = sum(1 for w in words if w in _ENGLISH_HINTS)
    foreign = sum(1 for w in words if w in FOREIGN_WORDS or not w.isascii())
    if foreign >= 2 and foreign > english:
        return False
    if len(words) >= 4 and english == 0 and foreign >= 1:
        return False
    # mostly non-Latin letters (Arabic, Devanagari, Chinese, Cyrillic ...)
    letters = [c for c in text if c.isalpha()]
    return not (letters and sum(1 for c in letters if not c.isascii()) > 0.5 * len(letters))
