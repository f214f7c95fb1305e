"""hire search name and permit expiry

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 19:08:48.857391

The hires list searches a folded copy of the candidate's name and filters on the permit's
expiry. Existing hires get both here (the recorder keeps them from then on): the name folded
as store.search.folded does (a frozen copy below, so this migration means the same later),
the expiry from the last of the hire's steps whose decision recorded ``expires_on``.
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('hire', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('permit_expires_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_hire_team_owner', ['team_id', 'hr_owner_email', 'hr_owner_name'], unique=False)
        batch_op.create_index('ix_hire_team_permit', ['team_id', 'permit_expires_on', 'id'], unique=False)
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('hire', schema=None) as batch_op:
        batch_op.drop_index('ix_hire_team_permit')
        batch_op.drop_index('ix_hire_team_owner')
        batch_op.drop_column('permit_expires_on')
        batch_op.drop_column('search_name')


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = re.sub(r"['\u2019\u02bc`]", "", bare.casefold())
    return re.sub(r"[\W_]+", " ", bare).strip()[:200]


def _backfill(bind: sa.Connection) -> None:
    hire = sa.table('hire', sa.column('id', sa.String), sa.column('candidate_name', sa.String),
                    sa.column('search_name', sa.String), sa.column('permit_expires_on', sa.Date))
    step = sa.table('hire_step', sa.column('hire_id', sa.String), sa.column('ordinal', sa.Integer),
                    sa.column('fields', sa.JSON))
    last = ""
    while True:
        rows = bind.execute(
            sa.select(hire.c.id, hire.c.candidate_name).where(hire.c.id > last)
            .order_by(hire.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            hire.update().where(hire.c.id == sa.bindparam('hire_id'))
            .values(search_name=sa.bindparam('folded')),
            [{'hire_id': r.id, 'folded': _folded(r.candidate_name or '')} for r in rows],
        )
        last = rows[-1].id
    expiries: dict[str, tuple[int, date]] = {}
    permits = bind.execute(
        sa.select(step.c.hire_id, step.c.ordinal, step.c.fields)
        .where(sa.cast(step.c.fields, sa.Text).like('%expires_on%'))
    )
    for hire_id, ordinal, fields in permits:
        expires = _expiry(fields)
        if expires is not None and ordinal >= expiries.get(hire_id, (-1, expires))[0]:
            expiries[hire_id] = (ordinal, expires)
    if expiries:
        bind.execute(
            hire.update().where(hire.c.id == sa.bindparam('hire_id'))
            .values(permit_expires_on=sa.bindparam('expires')),
            [{'hire_id': k, 'expires': v} for k, (_, v) in expiries.items()],
        )


def _expiry(fields: Any) -> date | None:
    raw = fields.get('expires_on') if isinstance(fields, dict) else None
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
