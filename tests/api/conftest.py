"""The API's tests share one world with public and private things side by side."""

import pytest

from tests.api.world import make_world


@pytest.fixture
def world(region, other_region, member):
    return make_world(region, other_region, member)
