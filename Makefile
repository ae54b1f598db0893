# OneStory: `make run` (set up and serve on SQLite with the Eastmere demo data) and `make test`.
SHELL := /bin/bash
# A real Python 3.10 (pyenv's shim answers to python3.10 even when 3.10 is not selected, so test it).
PYTHON310 ?= $(shell for p in $$HOME/.pyenv/versions/3.10.*/bin/python3.10 /usr/local/bin/python3.10 \
  /usr/bin/python3.10 $$(command -v python3.10); do [ -x "$$p" ] && "$$p" -c 'import sys; \
  assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
RASA_DATA := --domain domain --data data/nlu data/rules data/stories

.PHONY: run setup venv migrate demo-data model test lint unit validate rasa-test e2e browser docs bench eval clean \
  cluster cluster-stop cluster-status cluster-e2e cluster-faults

run: setup model
	$(PY) -m bot.serve

setup: venv migrate demo-data node

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock.txt requirements.nodeps.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.lock.txt
	$(PY) -m pip install --quiet --no-deps -r requirements.nodeps.txt
	touch $@

node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: venv
	$(PY) -m bot.migrate

demo-data: migrate
	$(PY) -m bot.demo

model: venv
	$(PY) scripts/train_if_stale.py

lint: venv
	$(VENV)/bin/ruff check bot actions tests scripts bench tools

unit: venv
	ONESTORY_STAGE=unit ONESTORY_REQUIRE_POSTGRES=$${ONESTORY_REQUIRE_POSTGRES:-0} $(PY) -m pytest tests/unit tests/actions -q

validate: venv
	$(RASA) data validate $(RASA_DATA) --fail-on-warnings

rasa-test: model
	$(RASA) test core --model models/onestory.tar.gz --stories tests/rasa/test_stories.yml \
	  --fail-on-prediction-errors --out var/rasa-results

e2e: setup model
	ONESTORY_STAGE=e2e $(PY) -m pytest tests/e2e -q

browser: setup model
	ONESTORY_STAGE=browser $(PY) -m pytest tests/browser -q

# The production layout under load and failure (tests/cluster): its own ports and databases.
# Part of `make test`; `make cluster-faults` runs the kill test alone.
cluster-e2e: setup model
	ONESTORY_STAGE=cluster $(PY) -m pytest tests/cluster -q

cluster-faults: setup model
	ONESTORY_STAGE=cluster $(PY) -m pytest tests/cluster -q -k killed

# The browser tests again, this time saving their screenshots into docs/ (a normal run never
# rewrites tracked images): the console's main pages at 375 and 1280 px, the web chat, the editor.
docs: setup model
	ONESTORY_SCREENSHOTS=1 $(PY) -m pytest tests/browser -q

# Every test: lint, unit and action tests on SQLite and PostgreSQL, Rasa validation and test
# stories, end-to-end over HTTP with real servers (the fault-injection suite included), the
# production layout under load with a replica and a worker killed (cluster-e2e), and the browser
# tests. It ends with a list of anything skipped and why (PostgreSQL, Redis, HAProxy or Chromium
# missing); with CI=true a skip fails.
TEST_STAGES := lint unit validate rasa-test e2e cluster-e2e browser
test: setup model
	@rm -f var/test-skips.jsonl
	@$(MAKE) --no-print-directory $(TEST_STAGES); status=$$?; $(PY) -m tests.skip_report; exit $$status

bench: setup model
	$(PY) -m bench

# The production layout on one machine (deploy/): HAProxy on http://localhost:8000 in front of two
# `rasa run` replicas (PostgreSQL tracker store, Redis lock store), two action servers, two
# workers and the console under supervisord, with PostgreSQL for records and directory.
cluster: setup model
	$(PY) -m tools.cluster start

cluster-stop: venv
	$(PY) -m tools.cluster stop

cluster-status: venv
	$(PY) -m tools.cluster status

# Talk to a running bot as carers do (signed SMS and the REST channel): make eval FILE=cases.yml
# [BOT_URL=http://localhost:8000] [ARGS="--verbose --only ID --json report.json"]
FILE ?= tests/eval/cases-public.yml
BOT_URL ?= http://localhost:5005
eval: venv
	$(PY) -m tools.eval $(FILE) --base-url $(BOT_URL) $(ARGS)

clean:
	rm -rf var/*.db var/spool var/rasa-results models/*.tar.gz models/*.fingerprint
