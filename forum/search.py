"""Full-text search over the posts a member may see: ranked, with highlighted snippets, filtered by
board and author, in one statement whatever the forum's size.

Each post has one search document, kept in a `post_search` table by database triggers, so every
writer (services, the bench's bulk inserts, a moderator's SQL) keeps it right: the post's markdown
as its author wrote it (never the cooked HTML) and, for a topic's opening post, the topic title,
which weighs more. SQLite keeps it in an FTS5 table ranked with bm25(); PostgreSQL in a tsvector
column behind a GIN index, ranked with ts_rank_cd(). `SEARCH_DDL` is the exact DDL per dialect,
run after `posts` is created (db.create_all() and the migration alike).

Ranking costs a little per matching post, so a word found in half the forum would make the page
slower as the forum grows. The ranked set is the newest CANDIDATES visible matches (an index walk
in post id order that stops there), which keeps the page's cost constant; older posts still come
up whenever the words are specific enough to match fewer.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from markupsafe import Markup, escape

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.forms import strip_control_characters
from courseware.learning.models import Enrolment
from courseware.web import MAX_ID
from forum import permissions
from forum.models import Board, BoardKind, Post, Topic

QUERY_MAX = 200
WORDS_MAX = 12
RESULTS_PER_PAGE = 20
PAGES_MAX = 10  # 200 results: past them, better words find more than more pages
CANDIDATES = 1000
QUERY_TOO_LONG = f"Keep a search to {QUERY_MAX} characters or fewer: a few distinctive words work best."
NO_WORDS = "Type at least one word or number to search for."

# Marks around matched words, put in by the database's snippet functions. Control characters: the
# snippet is escaped as text first, then only these become <mark> tags (see `mark`).
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile(f"([{_START}{_STOP}])")


@dataclass
class SearchRequest:
    """What the member asked for, as typed (kept in the form), and what is wrong with it."""

    q: str = ""
    board: str = ""
    author: str = ""
    page: int = 1
    words: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def asked(self) -> bool:
        return bool(self.q.strip())


@dataclass
class Hit:
    post_id: int
    number: int
    topic_title: str
    board_slug: str
    board_title: str
    author_name: str
    created_at: datetime
    hidden: bool
    title_html: Markup
    snippet_html: Markup


@dataclass
class Results:
    hits: list[Hit]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def parse_request(args: Mapping[str, str]) -> SearchRequest:
    """?q=&board=&author=&page= -> a SearchRequest; never raises, whatever was sent."""
    # Control characters never belong in a query, and PostgreSQL refuses NUL in any text (a 500).
    text = {name: strip_control_characters(args.get(name, "")) for name in ("q", "board", "author")}
    request = SearchRequest(q=text["q"], board=text["board"].strip(), author=text["author"].strip())
    page = args.get("page", "1")
    request.page = int(page) if page.isdigit() and 1 <= int(page) <= PAGES_MAX else 1
    if len(request.q) > QUERY_MAX:
        request.error = QUERY_TOO_LONG
    elif request.asked:
        request.words = _WORD.findall(request.q.lower())[:WORDS_MAX]
        if not request.words:
            request.error = NO_WORDS
    return request


def search(user, request: SearchRequest) -> Results:
    """One page of the posts `user` may see that hold every word, best first."""
    offset = (request.page - 1) * RESULTS_PER_PAGE
    dialect = db.session.get_bind().dialect.name
    build = _postgresql_statement if dialect == "postgresql" else _sqlite_statement
    statement = build(user, request, RESULTS_PER_PAGE + 1, offset)
    rows = db.session.execute(statement).all()
    hits = [_hit(row) for row in rows[:RESULTS_PER_PAGE]]
    return Results(hits, request.page, len(rows) > RESULTS_PER_PAGE and request.page < PAGES_MAX)


def mark(text: str) -> Markup:
    """A snippet with the database's marks -> HTML: every character of the member's text escaped,
    and only the marks turned into <mark> tags, always balanced (a stray mark character typed into
    a post can at worst mark a wrong word, never open a tag)."""
    html, inside = [], False
    for piece in _MARKS.split(" ".join(text.split())):
        if piece == _START and not inside:
            html.append("<mark>")
            inside = True
        elif piece == _STOP and inside:
            html.append("</mark>")
            inside = False
        elif piece not in (_START, _STOP):
            html.append(str(escape(piece)))
    if inside:
        html.append("</mark>")
    return Markup("".join(html))


# The statements. Both rank the newest CANDIDATES visible matches, then read one page of them with
# their snippets: snippets are computed for that page only.

_sqlite_index = sa.table("post_search", sa.column("rowid"), sa.column("title"), sa.column("body"))
_pg_index = sa.table("post_search", sa.column("post_id"), sa.column("document"))


def _sqlite_statement(user, request: SearchRequest, limit: int, offset: int) -> sa.Select:
    index = _sqlite_index
    match = sa.literal_column("post_search").op("MATCH")(_fts5_query(request.words))
    # bm25 is lower for better matches; the title counts four times a word of the body.
    score = sa.func.bm25(sa.literal_column("post_search"), 4.0, 1.0)
    candidates = _visible(
        sa.select(index.c.rowid.label("post_id"), score.label("score")).select_from(index)
        .join(Post, Post.id == index.c.rowid),
        user, request,
    ).where(match).order_by(index.c.rowid.desc()).limit(CANDIDATES).subquery("candidates")
    ranked = (
        sa.select(candidates).order_by(candidates.c.score, candidates.c.post_id.desc())
        .limit(limit).offset(offset).subquery("ranked")
    )
    title = sa.func.highlight(sa.literal_column("post_search"), 0, _START, _STOP)
    snippet = sa.func.snippet(sa.literal_column("post_search"), 1, _START, _STOP, "…", 28)
    return (
        _page_columns(title, snippet).select_from(ranked)
        .join(index, index.c.rowid == ranked.c.post_id)
        .join(Post, Post.id == ranked.c.post_id)
        .join(Topic, Topic.id == Post.topic_id).join(Board, Board.id == Topic.board_id)
        .join(Post.author)
        .where(match)
        .order_by(ranked.c.score, ranked.c.post_id.desc())
    )


def _postgresql_statement(user, request: SearchRequest, limit: int, offset: int) -> sa.Select:
    index = _pg_index
    query = sa.func.plainto_tsquery(sa.literal_column("'english'"), " ".join(request.words))
    candidates = _visible(
        sa.select(index.c.post_id).select_from(index).join(Post, Post.id == index.c.post_id), user, request,
    ).where(index.c.document.op("@@")(query)).order_by(index.c.post_id.desc()).limit(CANDIDATES)
    candidates = candidates.subquery("candidates")
    # Ranked after the cut, so ts_rank_cd runs for the newest CANDIDATES matches only, however many
    # posts match (PostgreSQL would otherwise compute it for every match before sorting them).
    scored = index.alias("scored")
    score = sa.func.ts_rank_cd(scored.c.document, query).label("score")
    ranked = (
        sa.select(candidates.c.post_id, score).join(scored, scored.c.post_id == candidates.c.post_id)
        .order_by(score.desc(), candidates.c.post_id.desc())
        .limit(limit).offset(offset).subquery("ranked")
    )
    options = f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"
    title = sa.case(
        (Post.number == 1, sa.func.ts_headline(sa.literal_column("'english'"), Topic.title, query, options)),
        else_="",
    )
    # One passage (not MaxFragments, which trims to the matched words and loses their context).
    # PostgreSQL's parser reads anything shaped like an HTML tag as markup and leaves it out.
    snippet_options = f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15"
    snippet = sa.func.ts_headline(sa.literal_column("'english'"), Post.body_md, query, snippet_options)
    return (
        _page_columns(title, snippet).select_from(ranked)
        .join(Post, Post.id == ranked.c.post_id)
        .join(Topic, Topic.id == Post.topic_id).join(Board, Board.id == Topic.board_id)
        .join(Post.author)
        .order_by(ranked.c.score.desc(), ranked.c.post_id.desc())
    )


def _visible(statement: sa.Select, user, request: SearchRequest) -> sa.Select:
    """Only posts of boards the user may see (permissions.visible_boards_filter), hidden ones only
    where the user moderates, narrowed to the board and author asked for."""
    statement = (
        statement.join(Topic, Topic.id == Post.topic_id).join(Board, Board.id == Topic.board_id)
        .outerjoin(Enrolment, permissions.enrolment_join(Board, user.id))
        .where(permissions.visible_boards_filter(user), _hidden_filter(user))
        # A post its author deleted is gone from search for everyone: its page shows only a notice.
        .where(Post.deleted_at.is_(None))
    )
    if request.board:
        statement = statement.where(Board.slug == request.board)
    if request.author:
        statement = statement.where(_author_filter(request.author))
    return statement


def _hidden_filter(user) -> sa.ColumnElement[bool]:
    """permissions.can_moderate as SQL: moderators everywhere, the author on course boards."""
    shown = sa.and_(Post.hidden_at.is_(None), Topic.hidden_at.is_(None))
    if permissions.is_moderator(user):
        return sa.true()
    if permissions.is_instructor(user):
        return sa.or_(Board.kind == BoardKind.COURSE, shown)
    return shown


def _author_filter(author: str) -> sa.ColumnElement[bool]:
    """An id (the number a profile link carries), a display name in any case, or the @handle posts
    show (handles are stored lower-case; the @ is optional)."""
    if author.isdigit():
        return Post.author_id == int(author) if int(author) <= MAX_ID else sa.false()
    handle = author.removeprefix("@").lower()
    name_matches = sa.select(User.id).where(
        sa.or_(sa.func.lower(User.display_name) == author.lower(), User.handle == handle)
    )
    return Post.author_id.in_(name_matches.scalar_subquery())


def _page_columns(title, snippet) -> sa.Select:
    hidden = sa.or_(Post.hidden_at.is_not(None), Topic.hidden_at.is_not(None))
    return sa.select(
        Post.id, Post.number, Topic.title.label("topic_title"), Board.slug.label("board_slug"),
        Board.title.label("board_title"), User.display_name, Post.created_at, hidden.label("hidden"),
        title.label("title_marked"), snippet.label("snippet_marked"),
    )


def _fts5_query(words: list[str]) -> str:
    """Each word as an FTS5 string ("..."): nothing a member types is read as FTS5 syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _hit(row) -> Hit:
    title_html = mark(row.title_marked) if row.number == 1 and row.title_marked else escape(row.topic_title)
    return Hit(
        post_id=row.id, number=row.number, topic_title=row.topic_title, board_slug=row.board_slug,
        board_title=row.board_title, author_name=row.display_name, created_at=row.created_at,
        hidden=bool(row.hidden), title_html=Markup(title_html), snippet_html=mark(row.snippet_marked or ""),
    )


# The search documents' DDL, per dialect: run after `posts` is created, undone before it is dropped.

SEARCH_DDL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS post_search USING fts5("
        "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER posts_search_insert AFTER INSERT ON posts BEGIN "
        "INSERT INTO post_search (rowid, title, body) VALUES (new.id, CASE WHEN new.number = 1 "
        "THEN (SELECT title FROM topics WHERE id = new.topic_id) ELSE '' END, new.body_md); END",
        "CREATE TRIGGER posts_search_update AFTER UPDATE OF body_md ON posts BEGIN "
        "UPDATE post_search SET body = new.body_md WHERE rowid = new.id; END",
        "CREATE TRIGGER posts_search_delete AFTER DELETE ON posts BEGIN "
        "DELETE FROM post_search WHERE rowid = old.id; END",
        "CREATE TRIGGER topics_search_title AFTER UPDATE OF title ON topics BEGIN "
        "UPDATE post_search SET title = new.title "
        "WHERE rowid = (SELECT id FROM posts WHERE topic_id = new.id AND number = 1); END",
    ],
    "postgresql": [
        "CREATE TABLE post_search ("
        "post_id INTEGER NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE, "
        "document TSVECTOR NOT NULL)",
        "CREATE INDEX ix_post_search_document ON post_search USING gin (document)",
        "CREATE FUNCTION post_search_document(title text, body text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE AS $$ SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A') "
        "|| setweight(to_tsvector('english', body), 'B') $$",
        "CREATE FUNCTION posts_search_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO post_search (post_id, document) "
        "SELECT NEW.id, post_search_document(CASE WHEN NEW.number = 1 THEN topics.title END, NEW.body_md) "
        "FROM topics WHERE topics.id = NEW.topic_id "
        "ON CONFLICT (post_id) DO UPDATE SET document = excluded.document; RETURN NULL; END $$",
        "CREATE TRIGGER posts_search_write AFTER INSERT OR UPDATE OF body_md ON posts "
        "FOR EACH ROW EXECUTE FUNCTION posts_search_write()",
        "CREATE FUNCTION topics_search_title() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE post_search SET document = post_search_document(NEW.title, posts.body_md) FROM posts "
        "WHERE posts.topic_id = NEW.id AND posts.number = 1 AND post_search.post_id = posts.id; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER topics_search_title AFTER UPDATE OF title ON topics FOR EACH ROW "
        "WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION topics_search_title()",
    ],
}
SEARCH_DROP_DDL = {
    "sqlite": ["DROP TRIGGER IF EXISTS topics_search_title", "DROP TABLE IF EXISTS post_search"],
    "postgresql": [
        "DROP TABLE IF EXISTS post_search",
        "DROP FUNCTION IF EXISTS topics_search_title() CASCADE",
        "DROP FUNCTION IF EXISTS posts_search_write() CASCADE",
        "DROP FUNCTION IF EXISTS post_search_document(text, text)",
    ],
}


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """For Alembic's autogenerate: the search tables (and FTS5's shadow tables) are not models."""
    return not (type_ == "table" and name is not None and name.startswith("post_search"))


@sa.event.listens_for(Post.__table__, "after_create")
def _create_search_index(_table, connection, **_kw) -> None:
    for statement in SEARCH_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


@sa.event.listens_for(Post.__table__, "before_drop")
def _drop_search_index(_table, connection, **_kw) -> None:
    for statement in SEARCH_DROP_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)
