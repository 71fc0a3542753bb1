"""Other apps show what a person is to them (militia member, reservist, candidate) on the person page.

An app registers a function `panel(person, user) -> dict | None` in its AppConfig.ready();
the registry keeps `people` free of imports from the apps built on it.
"""

_PANELS = []


def register(panel):
    _PANELS.append(panel)
    return panel


def panels_for(person, user):
    result = []
    for panel in _PANELS:
        data = panel(person, user)
        if data:
            result.append(data)
    return result
