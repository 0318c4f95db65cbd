"""The demo's sign-ins: printed by `load_demo_content` (so by `make run`) and listed in the README.
Every demo account has the same password; staff and the aid counsellor set up an authenticator app on
their first visit."""

from . import aid, calls, experts, members, volunteers

ADMIN_EMAIL = "admin@example.com"
PASSWORD = members.PASSWORD

# (address, role, where to start)
LOGINS = [
    (ADMIN_EMAIL, "superuser", "/admin/"),
    (members.OFFICER_EMAIL, "membership officer", "/admin/"),
    (members.MEMBER_EMAIL, "member", "/membership/"),
    (experts.REVIEWER_EMAIL, "expert reviewer", "/admin/"),
    (experts.REVIEWER2_EMAIL, "expert reviewer", "/admin/"),
    (experts.CHAIR_EMAIL, "expert review chair", "/admin/"),
    (volunteers.COORDINATOR_EMAIL, "volunteer coordinator", "/admin/"),
    (volunteers.VOLUNTEER_EMAIL, "volunteer", "/volunteer/my/"),
    (aid.COORDINATOR_EMAIL, "aid coordinator", "/admin/"),
    (aid.COUNSELLOR_EMAIL, "aid counsellor", "/aid/cases/"),
    (aid.BENEFICIARY_EMAIL, "registered beneficiary", "/aid/my/"),
    (calls.CALL_OFFICER_EMAIL, "call officer", "/admin/"),
    (calls.CALL_REVIEWER_EMAILS[1], "call reviewer", "/admin/calls/submissions/queue/"),
    ("branch@example.com", "branch (organisation member)", "/membership/"),
]


def table(base_url: str) -> list[str]:
    """The logins as lines of a table, with the full address to start from."""
    width = max(len(email) for email, _role, _path in LOGINS)
    role_width = max(len(role) for _email, role, _path in LOGINS)
    return [f"  {email:<{width}}  {role:<{role_width}}  {base_url}{path}" for email, role, path in LOGINS]
