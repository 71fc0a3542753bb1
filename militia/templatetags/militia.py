"""Template filters of the militia pages."""

from django import template

from militia.models import MemberStatus

register = template.Library()


@register.filter
def is_over_age_on(member, day):
    """Whether an active member is past the age of militia duty on `day` (Law 48/2019 art. 8.1, decided by
    militia.rules.is_over_age); False without a day."""
    return bool(day) and member.status == MemberStatus.ACTIVE and member.is_over_age(day)
