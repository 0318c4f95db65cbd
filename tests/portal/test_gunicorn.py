"""gunicorn (gunicorn.conf.py) loads the application once, in the master, before it forks the workers:
the segmenter's dictionary and the URL configuration with the views it imports, the largest things
a worker holds, are loaded once and shared (bench/memory.py measures what each worker then holds of its own)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import clear_url_caches, get_resolver


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_dictionary_is_built_once_before_the_workers_start(tmp_path):
    key = Fernet.generate_key().decode()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "gunicorn-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALLOW_LOCAL_MEMORY_CACHE": "true",
        "EMAIL_HOST": "smtp.invalid",
        "AID_ENCRYPTION_KEYS": key,
        "MFA_ENCRYPTION_KEYS": key,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    output = tmp_path / "gunicorn.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{free_port()}", "--no-control-socket"]
    with output.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while output.read_text().count("Booting worker") < 2 and time.monotonic() < deadline:
            assert server.poll() is None, output.read_text()
            time.sleep(0.2)
        time.sleep(1)  # a worker that loaded the application itself would be building its dictionary now
        text = output.read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    before_workers, _, after = text.partition("Booting worker")
    assert text.count("Booting worker") == 2, text
    assert "Prefix dict has been built successfully." in before_workers
    assert "Prefix dict" not in after and "Building prefix dict" not in after


def test_the_entry_point_builds_the_url_tables_of_every_language():
    from portal.wsgi import load_what_every_request_needs

    clear_url_caches()
    load_what_every_request_needs()

    assert set(get_resolver()._reverse_dict) >= {code for code, _name in settings.LANGUAGES}
