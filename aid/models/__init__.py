"""Aid programmes (援助项目): free counselling for a group of people (medical staff deployed to
Wuhan …) for a fixed term. Beneficiaries register and get a case number; aid coordinators assign a
counsellor from the programme's pool; counsellors log sessions and raise risk flags.

Personal data and session notes are stored sealed (`aid.crypto`) and read only through
`aid.access`, which records every read in the `CaseAccess` log. The link from a case to its
registrant's account is sealed as well, with a keyed hash of the account id to find a person's own
cases: no column of the aid tables joins a beneficiary's case to their account (the beneficiary's own
reads are logged as 本人, without it). What matching and the anonymous figures need (programme,
dates, durations, needs, modes, districts, statuses) is kept in the clear.

Once a closed case is past its retention period, `services.purge_expired` leaves only those anonymous
facts: programme, the months of registration and closing, needs categories, mode, district (one of
the city's districts and counties, as the anonymous export gives it), statuses, and the sessions'
dates and durations, from which every figure is counted. The account link, every free text and the
proof go; the exact moments that an e-mail log or the accounts table could match are kept to the month.
"""

from .access_log import CaseAccess, ReadOnlyQuerySet
from .cases import (
    Assignment,
    AssignmentQuerySet,
    Case,
    CaseQuerySet,
    ChangeRequest,
    Conflict,
    Counsellor,
    Renewal,
    RiskFlag,
    Session,
    SessionQuerySet,
)
from .pages import RESERVED_SLUGS, AidIndexPage, AidProgrammePage

__all__ = [
    "RESERVED_SLUGS",
    "AidIndexPage",
    "AidProgrammePage",
    "Counsellor",
    "CaseQuerySet",
    "Case",
    "Conflict",
    "AssignmentQuerySet",
    "Assignment",
    "Renewal",
    "ChangeRequest",
    "SessionQuerySet",
    "Session",
    "RiskFlag",
    "ReadOnlyQuerySet",
    "CaseAccess",
]
