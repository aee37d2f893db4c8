# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INSTANCE ?= instance
export FLASK_APP := wsgi
export MODERATION_INSTANCE ?= $(abspath $(INSTANCE))

.PHONY: install run db demo test test-postgres lint bench chromium encoder clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/flask db upgrade

# The demo site, comments and admin are made once; the login is kept in the instance folder.
$(INSTANCE)/demo-login.txt: | db
	$(BIN)/flask demo | tee $@.tmp && mv $@.tmp $@

demo: $(INSTANCE)/demo-login.txt

run: db demo
	@echo "--------------------------------------------------------------"
	@grep -E "demo admin|secret" $(INSTANCE)/demo-login.txt || true
	@echo "Dashboard: http://127.0.0.1:5000/   (Ctrl-C stops the server)"
	@echo "--------------------------------------------------------------"
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

# Dashboard tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "chromium is missing: apt-get install chromium (browser tests will fail)"; fi; }

test: install chromium
	$(BIN)/pytest -q

test-postgres: install chromium
	DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/pytest -q

# Rebuild the sentence encoder (model/encoder.onnx, committed) from its pinned PyPI package,
# in its own environment: PyTorch never enters the service's. Then retrain the core on it
# (needs ../shared/data).
ENC_VENV := .venv-encoder
encoder: install
	test -x $(ENC_VENV)/bin/python || $(PYTHON) -m venv $(ENC_VENV)
	$(ENC_VENV)/bin/pip install --quiet -r requirements.txt -r requirements-encoder.txt
	$(ENC_VENV)/bin/python -m moderation.analysis build-encoder
	$(BIN)/python -m moderation.analysis train

lint: install
	$(BIN)/ruff check moderation tests bench config.py wsgi.py
	$(BIN)/bandit -q -c pyproject.toml -r moderation

clean:
	rm -rf $(VENV) $(ENC_VENV) .pytest_cache
