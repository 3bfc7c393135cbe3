import pytest

from tests.admin import make_admin
from tests.conftest import login


@pytest.fixture
def admin(app_ctx):
    return make_admin()


@pytest.fixture
def as_admin(client, admin):
    login(client, admin.email)
    return client
