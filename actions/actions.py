"""The action server's actions: one per intent, each a thin adapter over bot.dialogue."""
from __future__ import annotations

from actions.adapter import DialogueAction
from bot.dialogue.directory_talk import warm_up

warm_up()  # the need classifier loads while the action server starts


class ActionGreet(DialogueAction):
    """Hello: the consent request to a new number, what we know to a member."""

    topic = "greet"

    def name(self) -> str:
        return "action_greet"


class ActionAffirm(DialogueAction):
    """Yes: gives consent, confirms an invitation, or accepts an offer."""

    topic = "affirm"

    def name(self) -> str:
        return "action_affirm"


class ActionDeny(DialogueAction):
    """No: declines consent or an offer."""

    topic = "deny"

    def name(self) -> str:
        return "action_deny"


class ActionThank(DialogueAction):
    """Thanks."""

    topic = "thank"

    def name(self) -> str:
        return "action_thank"


class ActionGoodbye(DialogueAction):
    """Goodbye."""

    topic = "goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionStoreFacts(DialogueAction):
    """Stores the facts a carer tells and confirms them."""

    topic = "tell_fact"

    def name(self) -> str:
        return "action_store_facts"


class ActionShowRecord(DialogueAction):
    """Says the record back, within three SMS segments."""

    topic = "ask_record"

    def name(self) -> str:
        return "action_show_record"


class ActionCorrectRecord(DialogueAction):
    """Corrects the record, keeping the old fact in history."""

    topic = "correct_fact"

    def name(self) -> str:
        return "action_correct_record"


class ActionInviteMember(DialogueAction):
    """Invites a family member by phone."""

    topic = "add_family_member"

    def name(self) -> str:
        return "action_invite_member"


class ActionWhoIsResponsible(DialogueAction):
    """Names who is responsible, why, and how to reach them."""

    topic = "ask_responsible"

    def name(self) -> str:
        return "action_who_is_responsible"


class ActionReportService(DialogueAction):
    """Records a carer's report of wrong directory data."""

    topic = "report_service_problem"

    def name(self) -> str:
        return "action_report_service"


class ActionHandOff(DialogueAction):
    """Hands the family to their named lead professional."""

    topic = "request_human"

    def name(self) -> str:
        return "action_hand_off"


class ActionUrgentHelp(DialogueAction):
    """Emergency routes at once, then an urgent alert."""

    topic = "urgent_risk"

    def name(self) -> str:
        return "action_urgent_help"


class ActionHelp(DialogueAction):
    """What OneStory is and does."""

    topic = "bot_help"

    def name(self) -> str:
        return "action_help"


class ActionMoreDetail(DialogueAction):
    """The full record, after a summary."""

    topic = "more_detail"

    def name(self) -> str:
        return "action_more_detail"


class ActionWithdrawConsent(DialogueAction):
    """Withdraws consent and ends this number's access."""

    topic = "withdraw_consent"

    def name(self) -> str:
        return "action_withdraw_consent"


class ActionFallback(DialogueAction):
    """Not understood: a kind answer; twice in a row, a person."""

    topic = "nlu_fallback"

    def name(self) -> str:
        return "action_fallback"
