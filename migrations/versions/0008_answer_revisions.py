"""Answer revisions: saves of one question are ordered; a cleared answer keeps its row

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.alter_column('value', existing_type=sa.JSON(), nullable=True)


def downgrade():
    op.execute("DELETE FROM answers WHERE value IS NULL")
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('revision')
