"""The demo site's pages (`manage.py load_demo_content`), built from the data in demo/data."""

from .sections import DATA, DemoLoader, as_date, dues_item, join_guide_body, load, stream, with_item_ids

__all__ = ["DATA", "DemoLoader", "as_date", "dues_item", "join_guide_body", "load", "stream", "with_item_ids"]
