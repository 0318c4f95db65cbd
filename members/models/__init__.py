from .accounts import User, UserManager
from .closure import AccountClosure, ClosureStatus, DataExport
from .dues import DuesPeriod, DuesRate, DuesReminder, Invoice, Payment, PaymentMethod, PaymentStatus, Standing
from .membership import Member, MembershipApplication, MembershipType

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
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Standing",
    "User",
    "UserManager",
]
