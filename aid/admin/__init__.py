"""The aid coordinators' screens in the Wagtail admin."""
