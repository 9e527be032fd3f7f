"""Logs: one key=value line per event on stdout, errors carrying the request id."""

import io
import logging

import pytest
from django.conf import settings
from django.urls import path

from nervepain.middleware import RequestIdLogFilter


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def log_output():
    """The project's own formatter and filter, writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdLogFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["keyvalue"]["format"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.urls("tests.test_logging")
def test_errors_are_logged_with_the_request_id(client, log_output):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    line = log_output.getvalue().splitlines()[0]
    assert "level=ERROR" in line
    assert "logger=django.request" in line
    assert "request_id=req-42" in line
    assert "kaboom" in log_output.getvalue()


@pytest.mark.django_db
def test_every_response_names_its_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    # An id that could forge log fields is replaced.
    assert client.get("/", HTTP_X_REQUEST_ID="x level=ERROR")["X-Request-ID"] != "x level=ERROR"
