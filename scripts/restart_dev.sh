#!/usr/bin/env bash
# Development helper: stop a running `make run` stack and start it again in the background.
pkill -f "bot.serve" ; sleep 3
pkill -f "rasa run" ; pkill -f rasa_sdk ; pkill -f bot.worker ; pkill -f "bot.console" ; sleep 2
(PYTHONPATH=$PWD .venv/bin/python -m bot.serve > var/serve.log 2>&1 &)
for _ in $(seq 1 120); do grep -q "is running" var/serve.log 2>/dev/null && break; sleep 2; done
grep -q "is running" var/serve.log && echo "stack up" || tail -20 var/serve.log
