"""The membership officers' screens in the Wagtail admin: applications, members, dues, payments, closures."""
