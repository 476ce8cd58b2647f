from alliance.models.audit import AuditEvent
from alliance.models.care import Alliance, Patient, Supervision
from alliance.models.clinic import Clinic
from alliance.models.stamps import CaseloadStamp
from alliance.models.users import Role, User

__all__ = [
    "Alliance",
    "AuditEvent",
    "CaseloadStamp",
    "Clinic",
    "Patient",
    "Role",
    "Supervision",
    "User",
]
