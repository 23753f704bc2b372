# The README's two commands, and a few shortcuts for developers.
.PHONY: demo test install lint format worker clean

# HOST=0.0.0.0 serves the demo to the network (phones joining a workshop); PORT another port.
demo: install
	HOST="$(HOST)" PORT="$(PORT)" scripts/serve-demo

test:
	scripts/test

install:
	scripts/install

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

worker: install
	.venv/bin/celery -A config worker --loglevel=INFO

clean:
	rm -rf .venv db.sqlite3 staticfiles test-artifacts
