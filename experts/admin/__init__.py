"""The expert database's screens in the Wagtail admin: applications, batches, objections, changes."""
