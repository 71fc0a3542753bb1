"""Keep each user's role groups equal to the roles of their assignments."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Assignment
from .services import user_sync_role_groups


@receiver(post_save, sender=Assignment)
@receiver(post_delete, sender=Assignment)
def _sync_groups(sender, instance, **kwargs):
    user_sync_role_groups(user=instance.user)
