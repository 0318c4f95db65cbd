from .accounts import User, UserManager
from .closure import AccountClosure, ClosureStatus, DataExport
from .dues import DuesPeriod, DuesRate, DuesReminder, Invoice, Payment, PaymentMethod, PaymentStatus, Standing
from .membership import Member, MembershipApplication, MembershipType, OrganisationContact

__all__ = [
    "AccountClosure",
    "ClosureStatus",
    "DataExport",
    "DuesPeriod",
    "DuesRate",
    "DuesReminder",
    "Invoice",
    "Member",
    "MembershipApplication",
    "MembershipType",
    "OrganisationContact",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Standing",
    "User",
    "UserManager",
]
