"""Topic pages by post-number ranges, canonical URLs, post links, board pagination, and a constant
number of statements on the board and topic pages whatever the forum's size."""

import pytest

from forum.pages import POSTS_PER_PAGE, TOPICS_PER_PAGE
from tests.forum.conftest import post_numbers, topic_path


def test_page_two_shows_posts_51_to_100(login, forum, learner):
    topic = forum.topic("integration", learner)
    forum.bulk_posts(topic, learner, 119)  # 120 posts: three pages
    client = login(learner)

    first = client.get(topic_path(topic)).get_data(as_text=True)
    second = client.get(f"{topic_path(topic)}?page=2").get_data(as_text=True)
    third = client.get(f"{topic_path(topic)}?page=3").get_data(as_text=True)
    beyond = client.get(f"{topic_path(topic)}?page=4").get_data(as_text=True)

    assert post_numbers(first) == list(range(1, 51))
    assert post_numbers(second) == list(range(51, 101))
    assert post_numbers(third) == list(range(101, 121))
    assert post_numbers(beyond) == [] and "There is no page 4 in this topic" in beyond
    assert "Page 4 of 3" not in beyond
    assert "Page 2 of 3" in second
    assert f'rel="prev" href="{topic_path(topic)}"' in second
    assert f'rel="next" href="{topic_path(topic)}?page=3"' in second


def test_a_wrong_or_missing_slug_redirects_to_the_canonical_url(login, forum, learner):
    topic = forum.topic("integration", learner, title="Sensory Breaks & Tools!")
    client = login(learner)

    wrong = client.get(f"/forum/t/{topic.id}-old-title?page=2")
    bare = client.get(f"/forum/t/{topic.id}")

    assert topic.slug == "sensory-breaks-tools"
    assert wrong.status_code == 301 and wrong.location == f"/forum/t/{topic.id}-sensory-breaks-tools?page=2"
    assert bare.status_code == 301 and bare.location == f"/forum/t/{topic.id}-sensory-breaks-tools"


def test_a_title_without_latin_letters_still_gets_a_slug(login, forum, learner):
    topic = forum.topic("integration", learner, title="¿¡!?")
    assert topic.slug == "topic"
    assert login(learner).get(f"/forum/t/{topic.id}-topic").status_code == 200


def test_a_post_link_opens_the_page_that_holds_the_post(login, forum, learner):
    topic = forum.topic("integration", learner)
    forum.bulk_posts(topic, learner, 60)
    client = login(learner)

    first = client.get(f"/forum/p/{forum.get_post(topic, 7).id}")
    later = client.get(f"/forum/p/{forum.get_post(topic, 57).id}")

    assert first.status_code == 302 and first.location == f"{topic_path(topic)}#post-7"
    assert later.location == f"{topic_path(topic)}?page=2#post-57"


def test_the_board_pages_through_its_topics(app, login, forum, learner):
    for n in range(TOPICS_PER_PAGE + 2):
        forum.topic("integration", learner, title=f"Topic number {n:02d}")
    client = login(learner)

    first = client.get("/forum/integration/").get_data(as_text=True)
    second = client.get("/forum/integration/?page=2").get_data(as_text=True)
    beyond = client.get("/forum/integration/?page=9").get_data(as_text=True)

    assert first.count('class="topic-row') == TOPICS_PER_PAGE and "Topic number 31" in first
    assert second.count('class="topic-row') == 2 and "Topic number 00" in second
    assert "Page 2 of 2" in second and "There is no page 9" in beyond


def test_an_empty_board_says_so(login, learner):
    page = login(learner).get("/forum/integration/").get_data(as_text=True)
    assert "No topics yet" in page and 'href="/forum/integration/new"' in page


@pytest.mark.parametrize("size", [10, 10_000])
def test_board_and_topic_pages_run_a_constant_number_of_statements(
    login, forum, queries, learner, author, moderator, size
):
    topic = forum.topic("integration", author, title="Welcome to the community")
    forum.bulk_posts(topic, learner, size - 1)
    for n in range(12):
        forum.topic("integration", learner if n % 2 else author, title=f"Question {n}", replies=1)
    last_page = -(-size // POSTS_PER_PAGE)

    for user in (learner, moderator):
        client = login(user)
        for url in (
            "/forum/", "/forum/integration/", topic_path(topic), f"{topic_path(topic)}?page={last_page}",
        ):
            with queries() as statements:
                response = client.get(url)
            assert response.status_code == 200, url
            assert len(statements) <= 8, (url, "\n".join(s[:200] for s in statements))
    page = client.get(topic_path(topic)).get_data(as_text=True)
    assert len(post_numbers(page)) == min(size, POSTS_PER_PAGE)
    assert page.count('<span class="badge badge-role">Instructor</span>') == 1  # the opening post only


def test_the_topic_page_loads_posts_with_their_authors_in_one_statement(login, forum, queries, learner):
    topic = forum.topic("integration", learner)
    forum.bulk_posts(topic, learner, 49)
    client = login(learner)
    with queries() as statements:
        client.get(topic_path(topic))
    post_selects = [s for s in statements if "FROM posts" in s]
    assert len(post_selects) == 1 and "JOIN users" in post_selects[0]
    assert "OFFSET" not in post_selects[0].upper() and "BETWEEN" in post_selects[0]


def test_odd_query_strings_on_a_topic_url_are_never_a_500(login, forum, learner):
    topic = forum.topic("integration", learner, title="Visual schedules")
    client = login(learner)
    for query in ("?slug=x&topic_id=9", "?_external=1&_anchor=x", "?page=-1", "?page=abc", "?page=99999999"):
        response = client.get(f"/forum/t/{topic.id}-wrong{query}")
        assert response.status_code == 301 and response.location == topic_path(topic), query
        assert client.get(f"{topic_path(topic)}{query}").status_code == 200, query
    for query in ("?page=-1", "?page=abc", "?page=0"):
        assert client.get(f"/forum/integration/{query}").status_code == 200
