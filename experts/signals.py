"""Keep the directory's search index in step with vocabulary renames."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Language, ServiceType, Specialty


@receiver(post_save, sender=Specialty)
@receiver(post_save, sender=ServiceType)
@receiver(post_save, sender=Language)
def refresh_experts_using_term(sender, instance, created=False, **kwargs):
    """A renamed term changes what keyword searches match for every expert who uses it."""
    if created:
        return
    from . import services
    from .models import Expert

    field = {Specialty: "specialties", ServiceType: "services", Language: "languages"}[sender]
    for expert in Expert.objects.filter(**{field: instance}).prefetch_related("specialties", "services", "languages"):
        services.refresh(expert)
