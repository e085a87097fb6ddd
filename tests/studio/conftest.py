"""Fixtures the studio's test modules share: an author signed in, and a course to work on.

A module that needs a different author or course (another time zone, a course with a post-test)
defines its own fixture of the same name, which takes precedence.
"""

import pytest

from courseware.accounts.models import Role
from tests.studio.s3_helpers import bucket, endpoint  # noqa: F401 (the S3 store's fixtures)


@pytest.fixture
def author(make, login):
    user = make.user(role=Role.AUTHOR, display_name="Jennifer Huff")
    login(user)
    return user


@pytest.fixture
def course(make):
    return make.course(title="Own Your Role")
