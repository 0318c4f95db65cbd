"""The volunteer coordinators' screens in the Wagtail admin."""
