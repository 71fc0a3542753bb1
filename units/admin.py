"""Admin for units, kinds and assignments, scoped for non-superusers like every page."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from units.text import fold

from .audit import target_labels
from .forms import CleanInputAdminMixin
from .freshness import changed
from .models import Assignment, AuditEvent, CommandLink, DisadvantagedPeriod, Officeholder, Unit, UnitKind
from .scoping import get_scope


def scoped_choices(queryset, *, user, source_model, field):
    """What a non-superuser may pick for `field` of `source_model`: the same scope as the pages.

    A unit, and the relation that places the record in the tree (the first step of the model's
    `scope_path_field`), must be one the user edits: that is where the record lands. Any other scoped
    record (a person, a campaign, a reserve post) must be one the user may see. Unscoped reference rows
    (ethnic groups, grounds, indicators) are left as they are.
    """
    if user.is_superuser or not hasattr(queryset, "visible_to"):
        return queryset
    placing = getattr(source_model, "scope_path_field", "").split("__")[0]
    if field.related_model is Unit or field.name == placing:
        return queryset.editable_by(user)
    return queryset.visible_to(user)


def _autocomplete_source(request):
    """(model, field) whose choices an admin autocomplete request lists, or None for any other request."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        return model, model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None


class ChangesAdminMixin:
    """Every write of the admin marks the places it changed (`units.freshness.changed`), like the services:
    a saved or deleted record its unit (the old and the new one when it moved), the bulk "delete selected"
    action the units of every selected record. A model placed in no unit (reference data, periods,
    templates) — or one whose change every page may show (`changes_everything`, the unit tree) — marks
    everything. Inlines are saved with their parent: the parent's places cover them. Custom actions that
    write call services, which mark their own changes. Every ModelAdmin of the portal has this mixin first
    (units/tests/test_admin_changes.py checks it)."""

    changes_everything = False
    changes_users = None  # the field naming the user whose roles a record gives ("user"; "pk" for users)

    def _places(self, queryset):
        """The `changed()` arguments for the records of `queryset`, read from the database."""
        if self.changes_users:
            return {"users": set(queryset.values_list(self.changes_users, flat=True))}
        field = None if self.changes_everything else getattr(self.model, "scope_path_field", None)
        if field is None:
            return {"everything": True}
        return {"units": set(queryset.values_list(field, flat=True))}

    def _mark(self, *places, cascades=False):
        # A save changes records of the model's app (its inlines are of the same app); a deletion may cascade
        # into other apps' records (a person's militia service): it does not say which.
        changed(
            units=set().union(*(p.get("units", ()) for p in places)),
            users=set().union(*(p.get("users", ()) for p in places)),
            everything=any(p.get("everything") for p in places),
            records=None if cascades else {self.model._meta.app_label},
        )

    def save_model(self, request, obj, form, change):
        before = self._places(self.model._default_manager.filter(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        self._mark(before, self._places(self.model._default_manager.filter(pk=obj.pk)))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if formsets or form.instance._meta.many_to_many:
            self._mark(self._places(self.model._default_manager.filter(pk=form.instance.pk)))

    def delete_model(self, request, obj):
        places = self._places(self.model._default_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)
        self._mark(places, cascades=True)

    def delete_queryset(self, request, queryset):
        places = self._places(queryset)
        super().delete_queryset(request, queryset)
        self._mark(places, cascades=True)


class ScopedChoicesMixin:
    """Every foreign key and many-to-many field of the form offers, and accepts, only records in the
    user's scope (`scoped_choices`): a posted key of another district's record is a form error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, user=request.user, source_model=self.model, field=db_field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, user=request.user, source_model=self.model, field=db_field)
        return field


class ScopedAdminMixin(ScopedChoicesMixin):
    """Non-superusers see and pick only records of their units (the same scope as the pages), change
    and delete only what their role allows inside their write scope, and never delete a record the
    law says to keep (`keep_records`): such a record is ended or moved to another status instead."""

    keep_records = False
    change_form_template = "admin/portal/change_form.html"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        source = _autocomplete_source(request)
        if source is not None:
            # The autocomplete of another form's field lists what that field accepts.
            model, field = source
            return scoped_choices(qs, user=request.user, source_model=model, field=field)
        return qs.visible_to(request.user)

    def _writable(self, request, obj):
        path = _path_of(obj, self.model.scope_path_field)
        return get_scope(request.user).can_write_path(path)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and not self._writable(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        if self.keep_records:
            return False
        if obj is not None and not self._writable(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        # The history views fetch the object without get_queryset (to show deleted records),
        # so the object itself must be checked against the read scope too.
        if obj is not None and not request.user.is_superuser:
            path = _path_of(obj, self.model.scope_path_field)
            if not get_scope(request.user).can_read_path(path):
                return False
        return super().has_view_permission(request, obj)

    def record_notes(self, request, obj):
        """Notes shown above the change form."""
        if self.keep_records and obj is not None:
            return [KEEP_RECORDS_NOTE]
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["record_notes"] = self.record_notes(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


KEEP_RECORDS_NOTE = _(
    "This record must be kept: end it or change its status instead of deleting it (only a system "
    "administrator may delete a record entered by mistake)."
)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline whose rows and choices keep to the user's scope like the page around it."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or not hasattr(qs, "visible_to"):
            return qs
        return qs.visible_to(request.user)


def _path_of(obj, field):
    from .scoping import object_path

    return object_path(obj, field)


class FoldedSearchMixin:
    """Admin search that ignores diacritics: the term is folded and matched against `folded_search_field`
    (its trigram index answers a name at any scale). A term without a digit is a name: it is not looked for
    in the national ids, numbers only, which would make the database read every row."""

    folded_search_field = None

    def get_search_results(self, request, queryset, search_term):
        if not search_term or not self.folded_search_field:
            return super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        by_key = queryset.filter(**{f"{self.folded_search_field}__contains": folded})
        numbers_only = all(name.endswith("national_id") for name in self.get_search_fields(request))
        if numbers_only and not any(char.isdigit() for char in search_term):
            return by_key, False
        other, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return by_key | other, may_have_duplicates


@admin.register(UnitKind)
class UnitKindAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "order", "is_commune_level"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    changes_everything = True  # names, paths and scopes of the tree every page reads
    list_display = ["name", "kind", "code", "parent", "population", "valid_from", "valid_to"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path", "depth"]
    list_select_related = ["kind", "parent"]
    ordering = ["path"]


@admin.register(DisadvantagedPeriod)
class DisadvantagedPeriodAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """The especially disadvantaged communes, a period each: ended with its last day, never deleted."""

    keep_records = True
    list_display = ["unit", "start", "end", "legal_ground"]
    list_filter = [("end", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name", "legal_ground"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(Officeholder)
class OfficeholderAdmin(ChangesAdminMixin, CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Who signs a unit's documents, a term each: ended with its last day, never deleted."""

    keep_records = True
    list_display = ["full_name", "office", "unit", "title", "start", "end"]
    list_filter = ["office", ("end", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(Assignment)
class AssignmentAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    changes_users = "user"
    list_display = ["user", "role", "unit"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(get_scope(request.user).q("unit__path"))

    def has_change_permission(self, request, obj=None):
        # Only superusers hand out roles: a role is a key to other people's data.
        return request.user.is_superuser

    has_add_permission = has_delete_permission = lambda self, request, obj=None: request.user.is_superuser


@admin.register(CommandLink)
class CommandLinkAdmin(ChangesAdminMixin, CleanInputAdminMixin, SimpleHistoryAdmin):
    """The military line where it leaves the tree (a commune answering to an area command), dated. Like roles,
    it decides who reaches which records: only superusers set it."""

    changes_everything = True  # the users' scopes follow the line
    list_display = ["unit", "commander", "valid_from", "valid_to"]
    list_filter = [("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name", "commander__name"]
    autocomplete_fields = ["unit", "commander"]
    list_select_related = ["unit", "commander"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )


class AssignmentInline(CleanInputAdminMixin, admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["unit"]
    verbose_name_plural = _("roles at units")


class PortalUserAdmin(ChangesAdminMixin, CleanInputAdminMixin, UserAdmin):
    """Django's user admin with the user's roles at units edited on the same page."""

    changes_users = "pk"  # flags, groups, permissions and roles: the user's scope and permission sets

    inlines = [AssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "last_login"]

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else []


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


class PortalGroupAdmin(ChangesAdminMixin, CleanInputAdminMixin, GroupAdmin):
    """Django's group admin: a group's permissions are every member's (changes mark everything)."""


admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)


class AuditChangeList(ChangeList):
    """The trail's list with a readable label for each target, one query per kind of record."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = target_labels(list(self.result_list))


@admin.register(AuditEvent)
class AuditEventAdmin(ChangesAdminMixin, CleanInputAdminMixin, admin.ModelAdmin):
    """Searchable, read-only for everyone: the trail is written by the application and never edited."""

    list_display = ["at", "kind", "username", "address", "target_label", "detail"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "target", "address", "detail"]
    date_hierarchy = "at"
    list_per_page = 100

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    @admin.display(description=pgettext_lazy("audit event", "target"), ordering="target")
    def target_label(self, event):
        return getattr(event, "target_label", event.target)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
