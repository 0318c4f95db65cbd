"""What the membership screens ask of the person using them: Django permissions, held through the
staff groups (portal/roles.py)."""

DECIDE_PERMISSION = "members.decide_membershipapplication"
