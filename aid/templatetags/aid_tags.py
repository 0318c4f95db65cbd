from django import template
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def aid_area_links(context) -> list[tuple[str, str]]:
    """The aid areas the signed-in person has (as counsellor, as beneficiary), in one query."""
    from aid.models import Case, Counsellor

    user = context["request"].user
    if not user.is_authenticated:
        return []
    counsellor, beneficiary = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            counsellor=Exists(Counsellor.objects.filter(user=OuterRef("pk"))),
            beneficiary=Exists(Case.objects.registered_by(user)),
        )
        .values_list("counsellor", "beneficiary")
        .get()
    )
    links = []
    if counsellor:
        links.append((reverse("aid:caseload"), _("我负责的援助案例")))
    if beneficiary:
        links.append((reverse("aid:my_cases"), _("我的援助")))
    return links
