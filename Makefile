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

.PHONY: run setup venv migrate demo-data model test lint unit validate rasa-test e2e browser docs bench clean

run: setup model
	$(PY) -m bot.serve

setup: venv migrate demo-data node

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.lock.txt
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
	$(VENV)/bin/ruff check bot actions tests scripts bench

unit: venv
	ONESTORY_REQUIRE_POSTGRES=$${ONESTORY_REQUIRE_POSTGRES:-0} $(PY) -m pytest tests/unit tests/actions -q

validate: venv
	$(RASA) data validate $(RASA_DATA) --fail-on-warnings

rasa-test: model
	$(RASA) test core --model models/onestory.tar.gz --stories tests/rasa/test_stories.yml \
	  --fail-on-prediction-errors --out var/rasa-results

e2e: setup model
	$(PY) -m pytest tests/e2e -q

browser: setup model
	$(PY) -m pytest tests/browser -q

# The browser tests again, this time saving their screenshots into docs/ (a normal run never
# rewrites tracked images): the console's main pages at 375 and 1280 px, the web chat, the editor.
docs: setup model
	ONESTORY_SCREENSHOTS=1 $(PY) -m pytest tests/browser -q

# Every test: lint, unit and action tests on SQLite and PostgreSQL, Rasa validation and test
# stories, end-to-end over HTTP with real servers, and the browser tests.
test: setup model lint unit validate rasa-test e2e browser

bench: setup model
	$(PY) -m bench

clean:
	rm -rf var/*.db var/spool var/rasa-results models/*.tar.gz models/*.fingerprint
