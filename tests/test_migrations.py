"""The migrations build exactly the schema the models describe, on this test database: what
Alembic compares (tables, columns, types, indexes, unique and foreign keys), and the CHECK
constraints, which it does not compare: the models' own and those that every enum column writes
with its members (sa.Enum(create_constraint=True)). The models' CHECKs are read from a schema that
the models build on an empty database of the same kind, so that both sides are written out by the
same database (PostgreSQL rewrites every condition it stores)."""
import enum
import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from flask_migrate import downgrade, upgrade

from app import create_app
from app.audit import services as audit
from app.audit.chain import GENESIS, entry_hash
from app.audit.models import AuditEntry
from app.dbtypes import enum_type
from app.extensions import db
from app.lottery.models import DrawState

SCRATCH_SCHEMA = "models_only"
HASH_VERSION_REVISION = "8b97e1c717ea"


def test_migrations_and_models_agree(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def check_constraints(connection, schema=None):
    """Every CHECK constraint of the database as (table, name, condition), sorted."""
    inspector = sa.inspect(connection)
    return sorted(
        (table, check["name"], " ".join(check["sqltext"].split()))
        for table in inspector.get_table_names(schema=schema)
        for check in inspector.get_check_constraints(table, schema=schema)
    )


def migrated_check_constraints():
    with db.engine.connect() as connection:
        return check_constraints(connection)


def model_check_constraints(metadata):
    """The CHECK constraints that `metadata` makes on an empty database like the test database:
    a schema of its own on PostgreSQL, rolled back; an in-memory database otherwise."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection, connection.begin() as transaction:
            connection.execute(sa.text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
            metadata.create_all(connection.execution_options(schema_translate_map={None: SCRATCH_SCHEMA}))
            found = check_constraints(connection, schema=SCRATCH_SCHEMA)
            transaction.rollback()
        return found
    engine = sa.create_engine(db.engine.url.set(database=":memory:"))
    try:
        metadata.create_all(engine)
        with engine.connect() as connection:
            return check_constraints(connection)
    finally:
        engine.dispose()


def test_check_constraints_and_enum_members_agree(app_ctx):
    migrated = migrated_check_constraints()
    assert {("user_roles", "ck_user_roles_role"), ("strata", "ck_strata_quota_positive")} <= {
        (table, name) for table, name, _condition in migrated}
    assert migrated == model_check_constraints(db.metadata)


def model_copy():
    """The models' tables in a metadata of their own, to change as an edit of a model would."""
    copy = sa.MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def drop_check(table, name):
    table.constraints.discard(next(c for c in table.constraints if c.name == name))


def test_an_enum_member_added_to_a_model_without_a_migration_fails_the_comparison(app_ctx):
    extended = enum.Enum("DrawState", {**{state.name: state.value for state in DrawState}, "CANCELLED": "cancelled"})
    altered = model_copy()
    draws = altered.tables["draws"]
    drop_check(draws, "ck_draws_drawstate")  # the CHECK of the enum as it is: the new type writes its own
    draws.append_column(sa.Column("state", enum_type(extended), nullable=False), replace_existing=True)
    changed = set(model_check_constraints(altered)) ^ set(migrated_check_constraints())
    assert {(table, name) for table, name, _condition in changed} == {("draws", "ck_draws_drawstate")}
    assert any("cancelled" in condition for _table, _name, condition in changed)


@pytest.mark.parametrize("table, condition, name", [
    ("competitions", "grant_cap <= 100000000", "grant_cap_limit"),
    ("audit_entries", "seq > 0", "seq_positive"),
])
def test_a_check_constraint_added_to_a_model_without_a_migration_fails_the_comparison(app_ctx, table, condition,
                                                                                       name):
    altered = model_copy()
    altered.tables[table].append_constraint(sa.CheckConstraint(condition, name=name))
    changed = set(model_check_constraints(altered)) ^ set(migrated_check_constraints())
    assert {(found[0], found[1]) for found in changed} == {(table, f"ck_{table}_{name}")}


def test_a_changed_check_condition_fails_the_comparison(app_ctx):
    altered = model_copy()
    strata = altered.tables["strata"]
    drop_check(strata, "ck_strata_quota_positive")
    strata.append_constraint(sa.CheckConstraint("quota >= 0", name="quota_positive"))
    assert model_check_constraints(altered) != migrated_check_constraints()


def test_the_hash_version_migration_keeps_the_existing_chain_and_its_heads(tmp_path):
    """Entries written before the audit hash version existed keep their hashes (version 1), so a
    head noted before the upgrade still verifies; entries appended after it are version 2."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/before.sqlite3"})
    with app.app_context():
        upgrade(revision="fb2f81ead66a")  # the audit log as it was before the hash version
        prev = GENESIS
        for seq in (1, 2, 3):
            at, data = f"2026-11-01T10:00:0{seq}.000000Z", {"actor": None, "n": seq}
            hashed = entry_hash(prev, seq, at, "test.before", data)
            db.session.execute(sa.text(
                "INSERT INTO audit_entries (seq, at, actor_id, event, data, prev, hash) "
                "VALUES (:seq, :at, NULL, 'test.before', :data, :prev, :hash)"),
                {"seq": seq, "at": at, "data": json.dumps(data), "prev": prev, "hash": hashed})
            prev = hashed
        db.session.commit()
        noted = prev

        upgrade(revision="heads")
        assert db.session.execute(sa.select(AuditEntry.hash_version)).scalars().all() == [1, 1, 1]
        assert audit.record(None, "test.after").hash_version == 2
        db.session.commit()
        result = audit.verify_log(noted)
        assert (result.ok, result.entries, result.noted_entry.seq) == (True, 4, 3)
        before_it = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_revision(
            HASH_VERSION_REVISION).down_revision
        db.session.remove()
        with pytest.raises(SystemExit):  # flask_migrate's exit on the migration's refusal
            downgrade(revision=before_it)
        kept = db.session.execute(sa.text("SELECT hash_version FROM audit_entries ORDER BY seq")).scalars().all()
        assert kept == [1, 1, 1, 2]
        db.session.remove()
        db.engine.dispose()
