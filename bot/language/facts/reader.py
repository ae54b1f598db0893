"""The message being read: its tokens, the people it names, the facts found so far, and the word
classes the rules use as evidence ("has", "takes", hedges, fillers)."""
from __future__ import annotations

import re

from bot.language.attribution import OTHER, Attribution
from bot.language.context import Assertion, Context
from bot.language.facts.results import ExtractedFact
from bot.language.mentions import Mention, find_mentions
from bot.language.parse import Parsed
from bot.language.vocabulary import RELATIONSHIPS

_HEDGE_WORDS = {"might", "may", "could", "possibly", "possible", "probably", "maybe", "perhaps", "suspect",
                "suspected", "query", "queried", "?", "if", "whether", "unsure", "wonder", "wondering",
                "worried", "worry", "worries", "afraid", "scared", "fear", "fears", "concerned", "risk",
                "prevent", "think", "thinks", "thought", "likely", "unlikely", "test", "tested", "testing",
                "assess", "assessed", "assessing", "investigate", "investigating", "investigated", "signs",
                "sign", "symptoms", "symptom", "early", "checking", "check", "checked", "suspicion", "seems",
                "seem", "looks", "sounds", "guess", "hopefully", "hope", "want", "wants", "wanted", "would",
                "should", "shall", "supposed", "rule", "whatever", "any", "anyone", "someone", "somebody",
                "people", "everyone", "anybody", "person", "patients", "families", "sufferers", "those",
                "others", "information", "info", "advice", "leaflet", "leaflets", "about", "waiting", "wait",
                "referral", "referred", "refer", "diagnose?"}
_HEDGE_PHRASES = re.compile(
    r"not sure|don'?t know|no idea|not certain|in case|what if|even if|ruled? out|signs of|symptoms of|risk of|"
    r"tested for|test for|assessed for|checked for|checking for|investigated for|referred for|referral for|"
    r"waiting for a diagnosis|could be|might be|may be|looks like|sounds like|thinks? it'?s|they think|"
    r"would like|want(?:s|ed)? to|need(?:s|ed)? to know")
GENERIC_PEOPLE = {"someone", "somebody", "people", "anyone", "anybody", "person", "patients", "those",
                   "sufferers", "everyone", "others", "carers", "families", "children", "adults", "man",
                   "woman", "men", "women", "folk"}
_WH = {"who", "what", "where", "when", "why", "how", "which", "whats", "what's", "who's", "whos", "hows",
       "how's", "where's", "wheres", "whom", "whose"}
_AUX_Q = {"do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
          "is", "are", "has", "have", "was", "were", "am", "ca", "wo", "sha"}
FILLERS = {"and", "so", "but", "also", "ok", "okay", "hi", "hello", "please", "um", "well", "oh", "just",
            "sorry", "yes", "no", "thanks", "right", "hiya", "hey", "then", "x", "xx", "&",
            "actually", "anyway", "plus", "or"}
MODIFIERS = {"a", "an", "the", "some", "early", "late", "onset", "mild", "moderate", "severe", "advanced",
              "bad", "really", "very", "quite", "also", "now", "just", "still", "already", "type", "stage",
              "end", "terminal", "chronic", "acute", "progressive", "suspected", "diagnosed", "possible",
              "secondary", "aggressive", "new", "bit", "of", "little", "slight", "touch", "recent", "another",
              "serious", "massive", "small", "big", "major", "minor", "nasty", "second", "third", "two", "few",
              "couple", "several", "young", "4", "3", "2", "1", "form", "kind", "sort", "awful",
              "terrible", "worsening", "developing", "developed", "got", "gotten", "pretty", "extremely",
              "profound", "profoundly", "complex", "significant", "its", "probable", "full", "blown",
              "recurrent", "frequent", "regular", "constant", "repeated", "low", "high", "medium", "dose",
              "daily", "her", "his", "their", "my", "our", "mum's", "dad's", "own", "usual", "normal",
              "current", "same", "prescribed"}
GLUE = re.compile(r"^(?:[\s,&/+]|and|or|also|plus|as well as|as well|nor|then|too|with|both|alongside|"
                   r"along with|not|no|either|neither)*$")

# triggers per category, on lemmas
HAVE = {"have", "got", "suffer", "diagnose", "with", "develop", "battle", "fight", "recover", "live", "due",
         "diagnosis", "caused", "'ve", "'d", "get", "had", "has"}
TAKE = {"take", "on", "prescribe", "give", "start", "have", "got", "use", "inject", "need", "increase",
         "reduce", "change", "switch", "put", "try", "trial", "taking", "had", "has", "'ve", "get", "onto",
         "dose", "receive", "restart", "continue", "uses", "carry", "wear", "apply"}
NEED = {"need", "use", "have", "got", "with", "in", "on", "require", "rely", "depend", "deliver", "provide",
         "order", "arrange", "fit", "install", "issue", "waiting", "await", "lend", "loan",
         "given", "give", "'ve", "has", "had", "through", "via"}
SERVICE = {"have", "got", "see", "visit", "come", "attend", "under", "involve", "refer", "from", "with",
            "arrange", "start", "use", "go", "'ve", "has", "had", "by", "get", "receive", "'s", "sees",
            "support"}
ENDERS = {"stop", "stopped", "discontinue", "discontinued", "cancel", "cancelled", "quit", "finish",
           "finished", "withdraw", "withdrawn", "halt", "ceased", "cease"}
SWITCH = {"switch", "switched", "change", "changed", "swap", "swapped", "move", "moved", "replace",
           "replaced"}
POSSESSIVE = {"her", "his", "their", "'s", "s"}


class Reader:
    def __init__(self, text: str, known: frozenset[str] = frozenset()):
        self.p = Parsed(text)
        self.mentions = find_mentions(self.p, known)
        self.attribution = Attribution(self.p, self.mentions)
        self.facts: list[tuple[int, ExtractedFact, Mention | None]] = []
        self.ended: list[str] = []
        self.suspected: list[tuple[int, ExtractedFact]] = []
        self.denied: list[str] = []
        self.context = Context(self.p)  # ConText: negated, ended, hypothetical, suspected, someone else's
        self.used: set[int] = set()   # tokens already explained by a fact

    # -- helpers over tokens --
    @property
    def toks(self):
        return self.p.toks

    def low(self, i: int) -> str:
        return self.p.toks[i].low if 0 <= i < len(self.p) else ""

    def lem(self, i: int) -> str:
        return self.p.toks[i].lemma if 0 <= i < len(self.p) else ""

    def window(self, i: int, back: int = 10) -> range:
        cs = self.p.clause_start(i)
        return range(max(cs, i - back), i)

    def hedged(self, i: int, allow: frozenset = frozenset()) -> bool:
        """A hedge, condition or generic subject before token i in the same clause."""
        cs = self.p.clause_start(i)
        ss = self.p.sent_start(i)
        for j in range(max(cs, i - 12), i):
            w, lem = self.low(j), self.lem(j)
            if w in allow:
                continue
            if w in _HEDGE_WORDS or lem in ("think", "wonder", "worry", "suspect", "test", "assess", "check"):
                if w == "may" and self.low(j - 1) in ("in", "on", "since", "of", "early", "mid", "end"):
                    continue
                if w in ("early",) and self.low(j + 1) in ("onset", "stage", "stages"):
                    continue
                if w == "about" and j > ss and self.low(j - 1) in ("worried", "talk", "talking", "know", "told"):
                    return True
                if w == "about":
                    continue
                if w in ("waiting", "wait") and self.low(j + 1) in ("for", "on"):
                    return True
                if w in ("waiting", "wait", "any", "want", "wants", "wanted", "should", "would", "referred",
                         "refer", "referral", "information", "info", "advice"):
                    continue
                return True
        # "not sure", "don't know if"
        text = self.p.low[self.p.char_of(max(ss, i - 14)):self.p.char_of(i)]
        return bool(_HEDGE_PHRASES.search(text))

    def question_clause(self, i: int) -> bool:
        """Is token i inside a question ("does she have...", "what is dementia")?"""
        cs = self.p.clause_start(i)
        j = cs
        while j < i and self.low(j) in FILLERS:
            j += 1
        first = self.low(j)
        if first in _WH:
            return True
        if (first in _AUX_Q or self.lem(j) in _AUX_Q) and self.low(cs - 1) != ")":
            # after "my son (14)" the clause goes on: "has ADHD" there is no question
            nxt = self.low(j + 1)
            if nxt in ("n't", "not"):
                nxt = self.low(j + 2)
            return nxt in ("she", "he", "they", "it", "i", "you", "we", "my", "your", "her", "his", "there",
                           "mum", "dad", "someone", "anyone", "this", "that") or nxt in RELATIONSHIPS or \
                nxt.isalpha() and self.toks[min(j + 1, len(self.p) - 1)].orig[:1].isupper()
        return False

    def relative_ok(self, t: int) -> bool:
        """'my dad who has Parkinson's': a statement inside a question."""
        return self.low(t - 1) in ("who", "that", "which") and any(
            m.end in (t - 1, t - 2) and m.kind in ("rel", "name") for m in self.mentions)

    def negated_before(self, t: int, end: int | None = None) -> str | None:
        """'ended' ("used to", "no longer", "any more") or 'neg' ("doesn't", "no", "never") for the
        words at t..end, as ConText reads their clause; None when neither."""
        return negation(self.context.at(t, end))

    def after_says_ended(self, e: int) -> bool:
        ce = self.p.clause_end(e)
        text = self.p.low[self.p.char_of(e):self.p.char_of(min(ce, e + 6))]
        return bool(re.match(r"^\s*(?:[\w']+\s+){0,2}?(?:any ?more|no more|no longer|now stopped|"
                             r"(?:was|were|has been|have been|'s been|got|is|are)\s+(?:now\s+)?(?:stopped|"
                             r"discontinued|cancelled|withdrawn|taken away|ruled out)|stopped|discontinued)\b",
                             text))

    def subject_for(self, tok: int) -> Mention | list[Mention] | None:
        return self.attribution.subject_at(tok)

    def add(self, tok: int, fact: ExtractedFact, mention: Mention | None = None,
            span: tuple[int, int] | None = None) -> None:
        if any(f.key == fact.key and f.value == fact.value for _, f, _ in self.facts):
            return
        subject = mention if mention is not None else self.subject_for(tok)
        if subject is OTHER:
            return  # about someone outside the family
        self.facts.append((tok, fact, subject))
        if span:
            self.used.update(range(*span))

    def end(self, key: str, negated: bool = False) -> None:
        if key not in self.ended:
            self.ended.append(key)
        if negated and key not in self.denied:
            self.denied.append(key)


def negation(a: Assertion) -> str | None:
    """'ended', 'neg' or None: what ConText's reading of a phrase means for a fact."""
    if a.historical:
        return "ended"  # "doesn't take it any more": it stopped, it was not denied
    return "neg" if a.negated else None


def self_subject(r: Reader, i: int) -> bool:
    """Whether the clause at token i is about the carer themself, not the person cared for."""
    m = r.subject_for(i)
    return isinstance(m, Mention) and m.kind == "self"


def tidy(s: str) -> str:
    """Words as said, with runs of spaces and trailing punctuation taken off."""
    return re.sub(r"\s+", " ", s).strip(" ,.")
