"""The province's picture: latest-submission pointers, score, answer and quarter totals kept at submit,
each answer's score and the written answers of submissions, difficulties and replies, model cooperatives, and the
indexes national-scale pages need

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 20:53:16.148512

Existing submissions are carried over: pointers and totals are built in SQL from the stored scores;
each answer's score is computed once with the questionnaire version that scored its assessment.
"""
from alembic import op
import sqlalchemy as sa

from app.assessments.questionnaire import parse
from app.standings.answer_facts import scored_answers, written_answers
from app.standings.upkeep import REBUILD, rebuild_quarters


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BATCH = 500

versions = sa.table('questionnaire_versions', sa.column('id', sa.Integer), sa.column('definition', sa.JSON))
assessments = sa.table('assessments', sa.column('id', sa.Integer), sa.column('version_id', sa.Integer),
                       sa.column('status', sa.String), sa.column('profile', sa.JSON))
answers = sa.table('answers', sa.column('assessment_id', sa.Integer), sa.column('question_code', sa.String),
                   sa.column('value', sa.JSON))
question_scores = sa.table('question_scores', sa.column('assessment_id', sa.Integer),
                           sa.column('question_code', sa.String), sa.column('score', sa.Float),
                           sa.column('option_code', sa.String))
written = sa.table('written_answers', sa.column('assessment_id', sa.Integer), sa.column('question_code', sa.String),
                   sa.column('body', sa.Text), sa.column('search_body', sa.Text))


def create_tables():
    op.create_table('score_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('dimension_code', sa.String(length=40), nullable=False),
    sa.Column('contributors', sa.Integer(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_totals')),
    sa.UniqueConstraint('province_code', 'kind', 'sector', 'status', 'dimension_code', name=op.f('uq_score_totals_province_code'))
    )
    with op.batch_alter_table('score_totals', schema=None) as batch_op:
        batch_op.create_index('ix_score_totals_kind_sector', ['kind', 'sector'], unique=False)

    op.create_table('exemplars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_exemplars_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_exemplars_ended_by_id_users')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_exemplars_marked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemplars'))
    )
    with op.batch_alter_table('exemplars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemplars_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index('uq_exemplars_one_current', ['cooperative_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('difficulties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('forwarded_to', sa.String(length=200), nullable=True),
    sa.Column('forwarded_on', sa.Date(), nullable=True),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'forwarded' OR (forwarded_to IS NOT NULL AND forwarded_on IS NOT NULL)", name=op.f('ck_difficulties_forwarded_names_body')),
    sa.CheckConstraint("status IN ('new', 'in_progress', 'resolved', 'forwarded')", name=op.f('ck_difficulties_status_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_difficulties_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_difficulties_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_difficulties_raised_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_difficulties')),
    sa.UniqueConstraint('token', name=op.f('uq_difficulties_token'))
    )
    with op.batch_alter_table('difficulties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_difficulties_category'), ['category'], unique=False)
        batch_op.create_index('ix_difficulties_cooperative_status', ['cooperative_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_difficulties_created_at'), ['created_at'], unique=False)

    op.create_table('latest_assessments',
    sa.Column('cooperative_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('overall_score', sa.Float(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('previous_overall_score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_latest_assessments_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_latest_assessments_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['previous_id'], ['assessments.id'], name=op.f('fk_latest_assessments_previous_id_assessments')),
    sa.PrimaryKeyConstraint('cooperative_id', name=op.f('pk_latest_assessments')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_latest_assessments_assessment_id'))
    )
    with op.batch_alter_table('latest_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_latest_assessments_province', ['province_code', 'status', 'submitted_at'], unique=False)

    op.create_table('quarter_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarter_totals')),
    sa.UniqueConstraint('province_code', 'kind', 'sector', 'quarter', name=op.f('uq_quarter_totals_province_code'))
    )
    op.create_table('answer_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=False),
    sa.Column('option_code', sa.String(length=60), nullable=False),
    sa.Column('weak', sa.Boolean(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_totals')),
    sa.UniqueConstraint('province_code', 'kind', 'sector', 'status', 'question_code', 'option_code', 'weak', name=op.f('uq_answer_totals_province_code'))
    )
    op.create_table('question_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('option_code', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_question_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_scores'))
    )
    with op.batch_alter_table('question_scores', schema=None) as batch_op:
        batch_op.create_index('uq_question_scores_assessment_question', ['assessment_id', 'question_code'], unique=True, postgresql_include=['score', 'option_code'])
    op.create_table('written_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('search_body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_written_answers_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_written_answers')),
    sa.UniqueConstraint('assessment_id', 'question_code', name=op.f('uq_written_answers_assessment_id'))
    )
    op.create_table('difficulty_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('difficulty_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_difficulty_replies_author_id_users')),
    sa.ForeignKeyConstraint(['difficulty_id'], ['difficulties.id'], name=op.f('fk_difficulty_replies_difficulty_id_difficulties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_difficulty_replies')),
    sa.UniqueConstraint('token', name=op.f('uq_difficulty_replies_token'))
    )
    with op.batch_alter_table('difficulty_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_difficulty_replies_difficulty_id'), ['difficulty_id'], unique=False)


def create_indexes():
    """The indexes the national-scale benchmark asked for."""
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_submitted_by_cooperative', ['cooperative_id', 'id'], unique=False, sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
    with op.batch_alter_table('dimension_scores', schema=None) as batch_op:
        batch_op.create_index('ix_dimension_scores_assessment_score', ['assessment_id', 'dimension_code', 'score'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_name_id', ['name', 'id'], unique=False)
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.create_index('ix_cooperatives_register_order', ['search_name', 'id'], unique=False)
        batch_op.create_index('ix_cooperatives_province_register_order', ['province_code', 'search_name', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # "Contains" searches of the user list (ILIKE '%…%') use these; SQLite scans, which is fine
        # for one province. Not in the models: migrations/env.py leaves indexes named *_trgm alone.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute('CREATE INDEX ix_users_name_trgm ON users USING gin (name gin_trgm_ops)')
        op.execute('CREATE INDEX ix_users_email_trgm ON users USING gin (email gin_trgm_ops)')


def backfill_answer_facts(connection):
    """Each answer's score and the written answers of the submissions made before this revision."""
    parsed = {}
    submitted = connection.execute(sa.select(assessments.c.id, assessments.c.version_id, assessments.c.profile)
                                   .where(assessments.c.status == 'submitted').order_by(assessments.c.id)).all()
    for start in range(0, len(submitted), BATCH):
        batch = submitted[start:start + BATCH]
        values = {row.id: {} for row in batch}
        for assessment_id, code, value in connection.execute(
                sa.select(answers.c.assessment_id, answers.c.question_code, answers.c.value)
                .where(answers.c.assessment_id.in_(list(values)))):
            values[assessment_id][code] = value
        scores, texts = [], []
        for row in batch:
            if row.version_id not in parsed:
                definition = connection.execute(sa.select(versions.c.definition)
                                                .where(versions.c.id == row.version_id)).scalar_one()
                parsed[row.version_id] = parse(definition, source=f'version {row.version_id}')
            questionnaire = parsed[row.version_id]
            # The profile facts stored at submit choose the questions that were asked (none: all were).
            profile = row.profile or {}
            scores += [{'assessment_id': row.id, 'question_code': item.question_code, 'score': item.score,
                        'option_code': item.option_code}
                       for item in scored_answers(questionnaire, values[row.id], profile=profile)]
            texts += [{'assessment_id': row.id, 'question_code': item.question_code, 'body': item.body,
                       'search_body': item.search_body}
                      for item in written_answers(questionnaire, values[row.id], profile=profile)]
        if scores:
            connection.execute(question_scores.insert(), scores)
        if texts:
            connection.execute(written.insert(), texts)


def upgrade():
    create_tables()
    create_indexes()
    connection = op.get_bind()
    backfill_answer_facts(connection)
    for statement in REBUILD:
        connection.execute(sa.text(statement))
    rebuild_quarters(connection)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_users_email_trgm')
        op.execute('DROP INDEX ix_users_name_trgm')
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_index('ix_cooperatives_province_register_order')
        batch_op.drop_index('ix_cooperatives_register_order')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_name_id')
    with op.batch_alter_table('dimension_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_dimension_scores_assessment_score')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_submitted_by_cooperative', sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
    with op.batch_alter_table('difficulty_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_difficulty_replies_difficulty_id'))
    op.drop_table('difficulty_replies')
    op.drop_table('written_answers')
    op.drop_table('question_scores')
    op.drop_table('answer_totals')
    op.drop_table('quarter_totals')
    with op.batch_alter_table('latest_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_latest_assessments_province')
    op.drop_table('latest_assessments')
    with op.batch_alter_table('difficulties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_difficulties_created_at'))
        batch_op.drop_index('ix_difficulties_cooperative_status')
        batch_op.drop_index(batch_op.f('ix_difficulties_category'))
    op.drop_table('difficulties')
    with op.batch_alter_table('exemplars', schema=None) as batch_op:
        batch_op.drop_index('uq_exemplars_one_current', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_exemplars_cooperative_id'))
    op.drop_table('exemplars')
    with op.batch_alter_table('score_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_score_totals_kind_sector')
    op.drop_table('score_totals')
