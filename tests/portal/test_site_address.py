"""The demo site is where `make run` serves it: page links, canonical tags and the sitemap use the
address given to load_demo_content; its settings carry a demo seal and 经办人 for receipts."""

import io

import pytest
from PIL import Image
from wagtail.models import Site

from demo.management.commands.load_demo_content import Command
from demo.site import DemoLoader
from portal.models import ContactSettings
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_make_run_passes_its_host_and_port_to_the_demo(home_page, client):
    Command(stdout=io.StringIO()).serve_at("127.0.0.1", 8123)

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8123"
    assert home_page.full_url == "http://127.0.0.1:8123/"
    sitemap = client.get("/sitemap-pages.xml", HTTP_HOST="127.0.0.1:8123").content.decode()
    assert "<loc>http://127.0.0.1:8123/</loc>" in sitemap


def test_the_makefile_serves_and_links_at_the_same_address():
    from pathlib import Path

    from django.conf import settings

    run = Path(settings.BASE_DIR, "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "load_demo_content --site-host $(HOST) --site-port $(PORT)" in run
    assert run.count("$(RUN_ENV)") == 2  # WAGTAILADMIN_BASE_URL for the loader and the server
    assert "http://$(HOST):$(PORT)" in Path(settings.BASE_DIR, "Makefile").read_text()


def test_the_demo_settings_have_a_seal_marked_as_a_demo_and_a_handler(home_page):
    DemoLoader(make_user("demo.admin@example.com", superuser=True), progress=lambda message: None).contact_settings()

    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert contact.receipt_handler and "演示" in contact.receipt_handler
    assert "演示" in contact.seal.title
    with contact.seal.file.open("rb") as file:
        seal = Image.open(file)
        seal.load()
    assert seal.mode == "RGBA" and seal.getpixel((0, 0))[3] == 0  # transparent around the ring
    red, green, blue, _alpha = seal.getpixel((seal.width // 2, seal.height // 2))  # the star
    assert red > 150 and green < 80 and blue < 80


def test_loading_the_demo_twice_keeps_one_seal(home_page):
    loader = DemoLoader(make_user("demo.admin@example.com", superuser=True), progress=lambda message: None)
    loader.contact_settings()
    first = ContactSettings.for_site(Site.objects.get(is_default_site=True)).seal_id
    loader.contact_settings()

    assert ContactSettings.for_site(Site.objects.get(is_default_site=True)).seal_id == first


def test_the_command_accepts_the_options():
    parser = Command().create_parser("manage.py", "load_demo_content")
    options = parser.parse_args(["--site-host", "127.0.0.1", "--site-port", "8000"])
    assert (options.site_host, options.site_port) == ("127.0.0.1", 8000)
