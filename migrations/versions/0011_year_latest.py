"""Each cooperative's latest submission of each year, kept at submit for the yearly report

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 04:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from app.standings.upkeep import rebuild_years


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('year_latest_assessments',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cooperative_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('overall_score', sa.Float(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                            name=op.f('fk_year_latest_assessments_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                            name=op.f('fk_year_latest_assessments_cooperative_id_cooperatives')),
    sa.PrimaryKeyConstraint('year', 'cooperative_id', name=op.f('pk_year_latest_assessments')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_year_latest_assessments_assessment_id'))
    )
    rebuild_years(op.get_bind())


def downgrade():
    op.drop_table('year_latest_assessments')
