"""Register imports kept between dry run and import; the province of each audit entry; audit entries
made append-only by the database.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit entries cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
]


def upgrade():
    op.create_table(
        "register_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_register_imports_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_imports")),
    )
    with op.batch_alter_table("register_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_imports_province_code"), ["province_code"], unique=False)

    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_code", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_province_code"), ["province_code"], unique=False)

    backfill_provinces()
    dialect = op.get_bind().dialect.name
    for statement in APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE:
        op.execute(statement)


def backfill_provinces():
    """The province of the entries made so far, read from their targets."""
    connection = op.get_bind()
    entries = connection.execute(sa.text("SELECT id, target FROM audit_entries")).all()
    cooperatives = dict(connection.execute(sa.text("SELECT id, province_code FROM cooperatives")).all())
    users = {user_id: (province, cooperative) for user_id, province, cooperative in connection.execute(
        sa.text("SELECT id, province_code, cooperative_id FROM users")).all()}
    for entry_id, target in entries:
        kind, _, raw = (target or "").partition(":")
        if not raw.isdigit():
            continue
        number = int(raw)
        province = None
        if kind == "province":
            province = number
        elif kind == "cooperative":
            province = cooperatives.get(number)
        elif kind == "user" and number in users:
            own, cooperative = users[number]
            province = own if own is not None else cooperatives.get(cooperative)
        if province is not None:
            connection.execute(sa.text("UPDATE audit_entries SET province_code = :province WHERE id = :id"),
                               {"province": province, "id": entry_id})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
        op.execute("DROP TRIGGER audit_entries_no_delete")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_province_code"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))
        batch_op.drop_column("province_code")
    with op.batch_alter_table("register_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_imports_province_code"))
    op.drop_table("register_imports")
