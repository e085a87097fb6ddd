import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db


def load_user_by_session_token(token: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.session_token == token))
