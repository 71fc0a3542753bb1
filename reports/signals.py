"""What the reports app tells the apps above it, without knowing them."""

from django.dispatch import Signal

# Sent after the commit of a step of a report's workflow, with `report_id` and `action` ("submit", "return",
# "approve", "withdraw", "reopen"). The reminders listen to it.
report_stepped = Signal()
