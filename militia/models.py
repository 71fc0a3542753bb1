"""Models of the militia app."""
