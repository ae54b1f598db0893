# OneStory's image for councils that deploy with containers: every process of the production
# layout (deploy/supervisord.conf: Rasa, the action server, the worker, the console, HAProxy),
# run the way `make cluster` runs them, with the same commands, deploy/ files and variables.
#
# NOT BUILT OR RUN ON THIS PROJECT'S MACHINES: they have no Docker. What it mirrors is tested:
# `make cluster` runs this layout and tests/cluster/ (in `make test`) kills parts of it under load.
# Keep the two in step: anything a container needs goes in deploy/ and the README, not only here.
#
# Build after `make model` (the image takes the trained model from models/onestory.tar.gz):
#   docker build -t onestory .      then see compose.yaml.

# The console's GOV.UK Frontend assets and the chat widget's socket.io client (package-lock.json).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# Python 3.10 (Rasa 3.6 does not run on 3.11) on Debian 12, whose haproxy package (2.6) is the one
# the tested layout uses.
FROM python:3.10-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock.txt ./
RUN python -m venv .venv \
 && .venv/bin/pip install --no-cache-dir "pip==24.0" \
 && .venv/bin/pip install --no-cache-dir -r requirements.lock.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
RUN test -f models/onestory.tar.gz || { echo "run make model before docker build"; exit 1; }

# What tools/cluster.py sets for each host (node_env); the rest comes from compose.yaml.
ENV PATH=/app/.venv/bin:/usr/sbin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    TF_CPP_MIN_LOG_LEVEL=3 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    SUPERVISORD_NODAEMON=true \
    ONESTORY_NODE_DIR=/var/lib/onestory/node \
    ONESTORY_VAR_DIR=/var/lib/onestory/node \
    ONESTORY_SPOOL_DIR=/var/lib/onestory/node/spool \
    HOME=/var/lib/onestory
RUN useradd --system --home-dir /var/lib/onestory --shell /usr/sbin/nologin onestory \
 && mkdir -p /var/lib/onestory/node/spool \
 && chown -R onestory /var/lib/onestory
USER onestory
EXPOSE 8000 5005 5050 5055 8080
CMD ["supervisord", "-c", "deploy/supervisord.conf"]
