"""Who may do what: role checks for views, asked in one place."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role

MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)


def roles_required(*roles):
    """The view needs a logged-in, confirmed user holding one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not (current_user.email_confirmed and current_user.has_role(*roles)):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorator


manager_required = roles_required(*MANAGER_ROLES)
