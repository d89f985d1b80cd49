"""pytest set-up of tests/python: the wheel tests share one `zhiye run` reference, built in a temporary folder
that lives for the whole session (see test_wheel.reference)."""

import tempfile

import pytest

import test_wheel


@pytest.fixture(scope="session", autouse=True)
def reference_folder():
    with tempfile.TemporaryDirectory(prefix="zhiye-wheel-") as tmp:
        test_wheel.STATE["tmp"] = tmp
        yield tmp
