"""What the demo of every app shares."""

from .text import fold


def commune_username(name):
    return fold(name).replace(" ", "")
