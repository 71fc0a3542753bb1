"""Who signs each unit's documents (units.Officeholder): the chair of its People's Committee and the commander
of its military command, a term each. The officers of a unit record them; the papers of the recruitment year
and the registers print the holder on each paper's date."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import RoleCheck, role_required
from .forms import OfficeholderForm
from .models import Officeholder, Unit
from .scoping import get_object_for_user, get_scope
from .selectors import officeholders_visible
from .services import officeholder_save

can_keep_signers = RoleCheck(
    ("units.add_officeholder",), gettext_lazy("Your role may not record who signs documents."), writes=True
)


def _units(user):
    """The units whose signers the user keeps: communes and above, not hamlets."""
    units = Unit.objects.editable_by(user).current().exclude(Q(parent__kind__is_commune_level=True))
    return units.select_related("kind").order_by("path")


def signer_list(request):
    user = request.user
    page = Paginator(officeholders_visible(user=user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    scope = get_scope(user)
    today = timezone.localdate()
    may_change = user.has_perm("units.change_officeholder")
    rows = [
        {
            "holder": holder,
            "current": holder.start <= today and (holder.end is None or holder.end >= today),
            "can_edit": may_change and scope.can_write_path(holder.unit.path),
        }
        for holder in page.object_list
    ]
    return render(request, "units/signer_list.html", {"rows": rows, "page": page, "can_add": can_keep_signers(user)})


@role_required(can_keep_signers)
def signer_create(request):
    units = _units(request.user)
    only = units[:2]
    initial = {"unit": only[0].pk} if len(only) == 1 else {}  # a commune officer keeps one commune
    form = OfficeholderForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        holder = officeholder_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been recorded.") % {"name": holder.full_name})
        return redirect("signers:list")
    return render(request, "units/signer_form.html", {"form": form, "holder": None})


def signer_update(request, pk):
    holder = get_object_for_user(
        request,
        Officeholder.objects.select_related("unit"),
        pk=pk,
        write=True,
        perm="units.change_officeholder",
    )
    form = OfficeholderForm(request.POST or None, instance=holder, units=_units(request.user))
    if request.method == "POST" and form.is_valid():
        officeholder_save(user=request.user, officeholder=holder, **form.cleaned_data)
        messages.success(request, _("Changes to %(name)s have been saved.") % {"name": holder.full_name})
        return redirect("signers:list")
    return render(request, "units/signer_form.html", {"form": form, "holder": holder})
