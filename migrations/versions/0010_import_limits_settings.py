"""The register import's row and size limits as province settings (empty: the configured limits)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 00:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('province_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_max_rows', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('import_max_megabytes', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('province_settings', schema=None) as batch_op:
        batch_op.drop_column('import_max_megabytes')
        batch_op.drop_column('import_max_rows')
