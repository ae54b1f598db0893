"""Operator tools, run from outside the bot: the carer conversation runner (tools/eval) and
`make cluster`'s launcher (tools/cluster.py). They never import bot/: they drive it over HTTP and
through its command lines, as an operator would."""
