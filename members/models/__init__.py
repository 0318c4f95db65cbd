from .accounts import User, UserManager
from .dues import DuesPeriod, DuesRate, Invoice, Payment, PaymentMethod, PaymentStatus, Standing
from .membership import Member, MembershipApplication, MembershipType, NumberSequence, private_storage

__all__ = [
    "DuesPeriod",
    "DuesRate",
    "Invoice",
    "Member",
    "MembershipApplication",
    "MembershipType",
    "NumberSequence",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Standing",
    "User",
    "UserManager",
    "private_storage",
]
