"""The carer conversation runner: `python -m tools.eval CASES.yml` (or `make eval FILE=...`).

It plays carers' phones (SMS through the Twilio webhook, signed exactly as Twilio signs) and web
visitors (Rasa's REST channel) against a running bot, and checks each reply against the case's
expectations. It lives outside tests/ because it is an operator's tool as much as a test: it
checks `make run`, `make cluster` or a real deployment, and the cluster test and the benchmark
send their SMS with its client.
"""
