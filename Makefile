# The README's two commands, and a few shortcuts for developers.
.PHONY: demo test install lint format worker clean

demo: install
	.venv/bin/python manage.py migrate --no-input
	.venv/bin/python manage.py seed_demo
	@echo "Serving the demo on http://127.0.0.1:8000 (Ctrl+C stops it)"
	.venv/bin/python manage.py runserver 127.0.0.1:8000

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
