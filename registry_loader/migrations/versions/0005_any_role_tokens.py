"""Search documents hold each name term once more without its role (`t12` beside `g12`):
see `registry_loader/names_index.py` for why. Self-contained: the tokens are derived from
the role tokens the documents already hold.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "gfpm"
ANY_ROLE = "t"
_BATCH = 5000

_NAMES = sa.table(
    "act_names",
    sa.column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite")),
    sa.column("tokens", sa.Text()),
)


def with_any_role(tokens: str) -> str:
    """The role tokens, each term's role-less token, then the other (filter) tokens: the
    order `names_index.documents` writes."""
    words = tokens.split()
    roles = [w for w in words if _is_role(w)]
    others = [w for w in words if not _is_role(w) and not _is_any_role(w)]
    any_role = dict.fromkeys(ANY_ROLE + w[1:] for w in roles)
    return " ".join([*roles, *any_role, *others])


def without_any_role(tokens: str) -> str:
    return " ".join(w for w in tokens.split() if not _is_any_role(w))


def _is_role(word: str) -> bool:
    return word[:1] in ROLES and word[1:].isdigit()


def _is_any_role(word: str) -> bool:
    return word[:1] == ANY_ROLE and word[1:].isdigit()


def _rewrite(change: Callable[[str], str]) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_NAMES.c.id, _NAMES.c.tokens)
            .where(_NAMES.c.id > last)
            .order_by(_NAMES.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        changed = _changes(rows, change)
        if changed:
            conn.execute(
                _NAMES.update().where(_NAMES.c.id == sa.bindparam("row_id")),
                [{"row_id": i, "tokens": t} for i, t in changed],
            )


def _changes(rows: Iterable, change: Callable[[str], str]) -> list[tuple[int, str]]:
    out = []
    for row in rows:
        new = change(row.tokens)
        if new != row.tokens:
            out.append((row.id, new))
    return out


def upgrade() -> None:
    _rewrite(with_any_role)


def downgrade() -> None:
    _rewrite(without_any_role)
