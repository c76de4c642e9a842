"""Reading the e-mails accounts sends: the link in them, as a path the test client can open."""

import re

from django.conf import settings

LINK = re.compile(r"https?://\S+")


def links(message) -> list[str]:
    return LINK.findall(message.body)


def link_path(message, contains: str) -> str:
    """The path of the one link in `message` whose URL contains `contains`; checks it points at SITE_URL."""
    [url] = [url for url in links(message) if contains in url]
    assert url.startswith(settings.SITE_URL + "/"), url
    return url[len(settings.SITE_URL) :]


def html_body(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html
