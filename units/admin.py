"""Admin for units, kinds and assignments, scoped for non-superusers like every page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from people.text import fold

from .forms import CleanInputAdminMixin
from .models import Assignment, AuditEvent, Unit, UnitKind
from .scoping import get_scope


class ScopedAdminMixin:
    """Non-superusers see and pick only records of their units (the same scope as the pages)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            path = _path_of(obj, self.model.scope_path_field)
            if not get_scope(request.user).can_write_path(path):
                return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def has_view_permission(self, request, obj=None):
        # The history views fetch the object without get_queryset (to show deleted records),
        # so the object itself must be checked against the read scope too.
        if obj is not None and not request.user.is_superuser:
            path = _path_of(obj, self.model.scope_path_field)
            if not get_scope(request.user).can_read_path(path):
                return False
        return super().has_view_permission(request, obj)


def _path_of(obj, field):
    from .scoping import object_path

    return object_path(obj, field)


class FoldedSearchMixin:
    """Admin search that ignores diacritics: the term is folded and matched against `folded_search_field`."""

    folded_search_field = None

    def get_search_results(self, request, queryset, search_term):
        if not search_term or not self.folded_search_field:
            return super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        by_key = queryset.filter(**{f"{self.folded_search_field}__contains": folded})
        other, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return by_key | other, may_have_duplicates


@admin.register(UnitKind)
class UnitKindAdmin(CleanInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "order", "is_commune_level"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(CleanInputAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "population", "valid_from", "valid_to"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path", "depth"]
    list_select_related = ["kind", "parent"]
    ordering = ["path"]


@admin.register(Assignment)
class AssignmentAdmin(CleanInputAdminMixin, SimpleHistoryAdmin):
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


class AssignmentInline(CleanInputAdminMixin, admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["unit"]
    verbose_name_plural = _("roles at units")


class PortalUserAdmin(CleanInputAdminMixin, UserAdmin):
    """Django's user admin with the user's roles at units edited on the same page."""

    inlines = [AssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "last_login"]

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else []


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(CleanInputAdminMixin, admin.ModelAdmin):
    """Searchable, read-only for everyone: the trail is written by the application and never edited."""

    list_display = ["at", "kind", "username", "address", "target", "detail"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "target", "address", "detail"]
    date_hierarchy = "at"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
