"""The demo site (`manage.py load_demo_content`): its data in `demo/data/`, one loader per domain, each
calling the domain's own services as staff and members would. Installed in development and tests only."""
