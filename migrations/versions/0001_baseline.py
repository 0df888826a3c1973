"""Baseline: the schema that `init-db` made before migrations existed (create_all of the models at the time),
including the triggers that make the coupon ledger and the support audit log append-only.

Revision ID: 0001
Revises:
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Tables whose rows the database itself refuses to UPDATE or DELETE (written out here, not imported from the
# app, so that this revision stays what it is when the app's helpers change).
APPEND_ONLY = ("coupon_ledger", "support_audit_log")


def create_append_only_triggers(name):
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                       f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END")
    elif dialect == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$ BEGIN "
                   f"RAISE EXCEPTION '{name} is append-only'; END; $$ LANGUAGE plpgsql")
        op.execute(f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {name} "
                   f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()")
    else:
        raise NotImplementedError(f"append-only triggers for {dialect}")


def drop_append_only_triggers(name):
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_no_{verb}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {name}_no_change ON {name}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}_append_only()")


def upgrade():
    op.create_table('amenities',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kana', sa.String(length=80), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('benefit_kinds',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('categories',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kana', sa.String(length=80), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('coupon_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('face_value', sa.Integer(), nullable=False),
    sa.Column('coupons_per_set', sa.Integer(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('child_born_from', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('coupon_services',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('kana', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('municipalities',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kana', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('prefecture', sa.String(length=10), nullable=False),
    sa.Column('facility_eligible', sa.Boolean(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('partner_renewal_runs',
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('renewed', sa.Integer(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('first_run_at', sa.DateTime(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('fiscal_year')
    )
    op.create_table('search_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('facility_external_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_changes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_changes_facility_external_id'), ['facility_external_id'], unique=False)

    op.create_table('support_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('query', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_audit_log_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_audit_log_target_user_id'), ['target_user_id'], unique=False)

    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=40), nullable=False),
    sa.Column('programme', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_kana', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('category_code', sa.String(length=20), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('building', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('open_days', sa.String(length=7), nullable=False),
    sa.Column('opens', sa.String(length=5), nullable=True),
    sa.Column('closes', sa.String(length=5), nullable=True),
    sa.Column('hours_note', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], ),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_category_code'), ['category_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_external_id'), ['external_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_facilities_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_programme'), ['programme'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_status'), ['status'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=100), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=True),
    sa.Column('passport_number', sa.String(length=12), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('deactivated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('passport_number')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_user_id'), ['user_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('terms_version', sa.String(length=20), nullable=False),
    sa.Column('purposes', sa.Text(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_email'), ['email'], unique=False)

    op.create_table('email_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('email_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_tokens_purpose'), ['purpose'], unique=False)

    op.create_table('facility_amenities',
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('amenity_code', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['amenity_code'], ['amenities.code'], ),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('facility_id', 'amenity_code')
    )
    op.create_table('facility_benefits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('kind_code', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kind_code'], ['benefit_kinds.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('facility_id', 'kind_code')
    )
    with op.batch_alter_table('facility_benefits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_benefits_facility_id'), ['facility_id'], unique=False)

    op.create_table('facility_services',
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('service_code', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_code'], ['coupon_services.code'], ),
    sa.PrimaryKeyConstraint('facility_id', 'service_code')
    )
    op.create_table('notice_reads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'notice_id')
    )
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=True),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('publish_from', sa.DateTime(), nullable=False),
    sa.Column('publish_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_audience'), ['audience'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_publish_from'), ['publish_from'], unique=False)

    op.create_table('partner_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('last_submission_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('facility_name', sa.String(length=200), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('location_count', sa.Integer(), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('duplicates', sa.JSON(), nullable=False),
    sa.Column('target_facility_id', sa.Integer(), nullable=True),
    sa.Column('staff_message', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_facility_id'], ['facilities.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('partner_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_applications_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_applications_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_partner_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_applications_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('passcode_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('near_provider_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['near_provider_id'], ['facilities.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('passcode_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passcode_failures_client'), ['client'], unique=False)
        batch_op.create_index(batch_op.f('ix_passcode_failures_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_passcode_failures_near_provider_id'), ['near_provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passcode_failures_user_id'), ['user_id'], unique=False)

    op.create_table('provider_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('qr_token', sa.String(length=32), nullable=False),
    sa.Column('passcode', sa.String(length=6), nullable=False),
    sa.Column('rotated_at', sa.DateTime(), nullable=False),
    sa.Column('needs_rotation', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('facility_id'),
    sa.UniqueConstraint('passcode'),
    sa.UniqueConstraint('qr_token')
    )
    op.create_table('provider_staff',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('provider_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_staff_facility_id'), ['facility_id'], unique=False)

    op.create_table('serial_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['coupon_programmes.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('support_call_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_call_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_call_notes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_call_notes_member_id'), ['member_id'], unique=False)

    op.create_table('partner_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('accepts_other_prefectures', sa.Boolean(), nullable=False),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['partner_applications.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('facility_id')
    )
    with op.batch_alter_table('partner_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_registrations_email'), ['email'], unique=False)

    op.create_table('serial_codes',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['serial_batches.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['coupon_programmes.id'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('serial_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_serial_codes_batch_id'), ['batch_id'], unique=False)

    op.create_table('coupon_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('serial_code', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('child_birth_date', sa.Date(), nullable=False),
    sa.Column('multiple_birth', sa.Boolean(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['coupon_programmes.id'], ),
    sa.ForeignKeyConstraint(['serial_code'], ['serial_codes.code'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('programme_id', 'child_id'),
    sa.UniqueConstraint('serial_code')
    )
    with op.batch_alter_table('coupon_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_sets_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupon_sets_user_id'), ['user_id'], unique=False)

    op.create_table('coupon_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('service_code', sa.String(length=30), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('issue', 'redeem', 'reversal')", name='ck_ledger_kind'),
    sa.CheckConstraint('count > 0', name='ck_ledger_count_positive'),
    sa.ForeignKeyConstraint(['provider_id'], ['facilities.id'], ),
    sa.ForeignKeyConstraint(['reverses_id'], ['coupon_ledger.id'], ),
    sa.ForeignKeyConstraint(['service_code'], ['coupon_services.code'], ),
    sa.ForeignKeyConstraint(['set_id'], ['coupon_sets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('reverses_id')
    )
    with op.batch_alter_table('coupon_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_ledger_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupon_ledger_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupon_ledger_set_id'), ['set_id'], unique=False)

    for table in APPEND_ONLY:
        create_append_only_triggers(table)


def downgrade():
    for table in APPEND_ONLY:
        drop_append_only_triggers(table)
    with op.batch_alter_table('coupon_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupon_ledger_set_id'))
        batch_op.drop_index(batch_op.f('ix_coupon_ledger_provider_id'))
        batch_op.drop_index(batch_op.f('ix_coupon_ledger_created_at'))

    op.drop_table('coupon_ledger')
    with op.batch_alter_table('coupon_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupon_sets_user_id'))
        batch_op.drop_index(batch_op.f('ix_coupon_sets_programme_id'))

    op.drop_table('coupon_sets')
    with op.batch_alter_table('serial_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_serial_codes_batch_id'))

    op.drop_table('serial_codes')
    with op.batch_alter_table('partner_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_registrations_email'))

    op.drop_table('partner_registrations')
    with op.batch_alter_table('support_call_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_call_notes_member_id'))
        batch_op.drop_index(batch_op.f('ix_support_call_notes_created_at'))

    op.drop_table('support_call_notes')
    op.drop_table('serial_batches')
    with op.batch_alter_table('provider_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_staff_facility_id'))

    op.drop_table('provider_staff')
    op.drop_table('provider_points')
    with op.batch_alter_table('passcode_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passcode_failures_user_id'))
        batch_op.drop_index(batch_op.f('ix_passcode_failures_near_provider_id'))
        batch_op.drop_index(batch_op.f('ix_passcode_failures_created_at'))
        batch_op.drop_index(batch_op.f('ix_passcode_failures_client'))

    op.drop_table('passcode_failures')
    with op.batch_alter_table('partner_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_applications_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_partner_applications_status'))
        batch_op.drop_index(batch_op.f('ix_partner_applications_public_id'))
        batch_op.drop_index(batch_op.f('ix_partner_applications_email'))

    op.drop_table('partner_applications')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_publish_from'))
        batch_op.drop_index(batch_op.f('ix_notices_audience'))

    op.drop_table('notices')
    op.drop_table('notice_reads')
    op.drop_table('facility_services')
    with op.batch_alter_table('facility_benefits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_benefits_facility_id'))

    op.drop_table('facility_benefits')
    op.drop_table('facility_amenities')
    with op.batch_alter_table('email_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_tokens_purpose'))

    op.drop_table('email_tokens')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_email'))

    op.drop_table('consents')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_user_id'))

    op.drop_table('children')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_status'))
        batch_op.drop_index(batch_op.f('ix_facilities_programme'))
        batch_op.drop_index(batch_op.f('ix_facilities_municipality_code'))
        batch_op.drop_index(batch_op.f('ix_facilities_external_id'))
        batch_op.drop_index(batch_op.f('ix_facilities_category_code'))

    op.drop_table('facilities')
    with op.batch_alter_table('support_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_audit_log_target_user_id'))
        batch_op.drop_index(batch_op.f('ix_support_audit_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_support_audit_log_agent_id'))
        batch_op.drop_index(batch_op.f('ix_support_audit_log_action'))

    op.drop_table('support_audit_log')
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_changes_facility_external_id'))
        batch_op.drop_index(batch_op.f('ix_search_changes_created_at'))

    op.drop_table('search_changes')
    op.drop_table('partner_renewal_runs')
    op.drop_table('municipalities')
    op.drop_table('coupon_services')
    op.drop_table('coupon_programmes')
    op.drop_table('categories')
    op.drop_table('benefit_kinds')
    op.drop_table('amenities')
