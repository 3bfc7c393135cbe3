"""Monitoring groups: a name, the region they work in (or none) and members chosen among the
accounts that may record visits (screeners, managers, monitors). Staff who manage monitoring make
and change them; each change is audited; the caller commits."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User, UserRole
from app.auth.permissions import Permission, roles_with
from app.errors import FieldErrors, InvalidChange
from app.extensions import db
from app.kz.regions import get_region
from app.monitoring.models import MonitoringGroup, group_members

NAME_MAX = 120
MEMBERS_MAX = 12


def all_groups():
    return db.session.execute(sa.select(MonitoringGroup).order_by(MonitoringGroup.name)).scalars().all()


def groups_of(user):
    """The groups `user` is a member of."""
    return db.session.execute(
        sa.select(MonitoringGroup).join(group_members).where(group_members.c.user_id == user.id)
        .order_by(MonitoringGroup.name)).scalars().all()


def in_a_group(user):
    """Whether `user` is a member of any monitoring group."""
    return db.session.execute(sa.select(sa.exists().where(group_members.c.user_id == user.id))).scalar()


def member_candidates():
    """The active accounts that may record visits, by e-mail: the people a group is made of."""
    return db.session.execute(
        sa.select(User).join(UserRole).where(UserRole.role.in_(roles_with(Permission.MONITOR)), User.active.is_(True))
        .distinct().order_by(User.email)).scalars().all()


def create_group(values, actor):
    """A new group from `values` (name, region_code, member_ids)."""
    group = MonitoringGroup()
    _apply(group, values)
    _flush_unique_name(group)
    record(actor, "monitoring.group_created", _audit_data(group))
    return group


def update_group(group, values, actor):
    """Renames the group, changes its region or members."""
    before = _audit_data(group)
    _apply(group, values)
    _flush_unique_name(group)
    after = _audit_data(group)
    if after != before:
        record(actor, "monitoring.group_changed", {**after, "before": before})
    return group


def _apply(group, values):
    errors = FieldErrors()
    name = " ".join((values.get("name") or "").split())
    if not name:
        errors.add("name", _l("Name the group, e.g. by its city."))
    elif len(name) > NAME_MAX:
        errors.add("name", _l("At most %(max)s characters.", max=NAME_MAX))
    errors.check_storable("name", name, paragraphs=False)
    region_code = values.get("region_code") or None
    if region_code is not None:
        try:
            get_region(region_code)
        except KeyError:
            errors.add("region_code", _l("Choose a region from the list."))
    candidates = {user.id: user for user in member_candidates()}
    member_ids = list(dict.fromkeys(values.get("member_ids") or []))
    if not member_ids:
        errors.add("member_ids", _l("Choose the members of the group."))
    elif any(member_id not in candidates for member_id in member_ids):
        errors.add("member_ids", _l("Choose the members from the list: only screeners, managers and monitors "
                                    "can be members."))
    elif len(member_ids) > MEMBERS_MAX:
        errors.add("member_ids", _l("A group has at most %(max)s members.", max=MEMBERS_MAX))
    errors.raise_if_any()
    group.name, group.region_code = name, region_code
    group.members = [candidates[member_id] for member_id in member_ids]


def _flush_unique_name(group):
    """Writes the group; a name another group has is refused (even when both are saved at once)."""
    with db.session.no_autoflush:
        taken = db.session.execute(sa.select(MonitoringGroup.id).where(
            sa.func.lower(MonitoringGroup.name) == group.name.lower(),
            MonitoringGroup.id != group.id if group.id else sa.true())).first()
    if taken is None:
        try:
            with db.session.begin_nested():
                db.session.add(group)
                db.session.flush()
            return
        except IntegrityError:
            pass
    raise InvalidChange({"name": [_l("Another group has this name.")]})


def _audit_data(group):
    return {"group": group.id, "name": group.name, "region": group.region_code,
            "members": sorted(member.id for member in group.members)}
