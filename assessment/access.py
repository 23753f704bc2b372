"""Who may open which staff page. Every staff view is wrapped in `staff_view(...)`, which
lets in only the listed roles and puts the user's membership and organisation on the
request; views then fetch objects only within `request.organisation`, so another
organisation's objects are a 404, never a 403."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from assessment.models import Commitment, Department, Membership, Organisation, Role

ALL_STAFF = (Role.ADMIN, Role.FACILITATOR, Role.EXECUTIVE, Role.DEPARTMENT_LEAD)
RUNS_ROUNDS = (Role.ADMIN, Role.FACILITATOR)
READS_REPORTS = (Role.ADMIN, Role.FACILITATOR, Role.EXECUTIVE, Role.DEPARTMENT_LEAD)
# Rebuilding the report is open to those who read all of it; a lead reads a part of it.
BUILDS_REPORTS = (Role.ADMIN, Role.FACILITATOR, Role.EXECUTIVE)
ADMINS = (Role.ADMIN,)
# Every reader of the report records commitments from it and follows them up; a department
# lead only those of their own department and the departments below it.
READS_COMMITMENTS = ALL_STAFF
RECORDS_COMMITMENTS = ALL_STAFF


def membership_of(request: HttpRequest) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    try:
        return request.user.membership
    except Membership.DoesNotExist:
        return None


class MemberRequest(HttpRequest):
    """A request `staff_view` has let in: a signed-in member of staff, their membership and
    its organisation. Only the type changes: it is the same request object."""

    user: User
    membership: Membership
    organisation: Organisation


type StaffView[**P] = Callable[Concatenate[MemberRequest, P], HttpResponse]
type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponse]


def staff_view[**P](*roles: str) -> Callable[[StaffView[P]], View[P]]:
    def decorator(view: StaffView[P]) -> View[P]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            membership = membership_of(request)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            member = cast(MemberRequest, request)
            member.membership = membership
            member.organisation = membership.organisation
            return view(member, *args, **kwargs)

        return wrapped

    return decorator


def reads_within(membership: Membership) -> Department | None:
    """The department whose report (with the departments below it) is all a department
    lead may read; None for the roles that read the whole organisation's."""
    return membership.department if membership.role == Role.DEPARTMENT_LEAD else None


def is_below(department: Department | None, within: Department) -> bool:
    """Whether `department` is `within` or one of the departments below it."""
    if department is None:
        return False
    return department.path == within.path or department.path.startswith(f"{within.path}/")


def may_follow_up(membership: Membership, commitment: Commitment) -> bool:
    """Whether this member may see and update the commitment: a department lead only their
    own department's (and those below it); every other member of staff any of their
    organisation's."""
    if commitment.organisation_id != membership.organisation_id:
        return False
    within = reads_within(membership)
    return within is None or is_below(commitment.department, within)
