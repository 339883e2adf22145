"""Back office for organisations, their members and travellers, and portal users.

Saves go through the same services as the enterprise pages and the API, so every change is validated
and audited the same way whichever door it came through.
"""

from django.contrib import admin
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.privacy import access
from foreign_affairs.privacy.admin_person import PersonPrivacyAdminMixin

from . import services
from .forms import AdminSignInForm
from .models import Membership, Organization, Person, Substitution, User
from .roles import OFFICE_ROLES

# The back office's sign-in goes through the same lock as every other door (accounts.backends).
admin.site.login_form = AdminSignInForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_liaison", "job_title", "created_at"]
    readonly_fields = ["created_at"]


class MaskedPassportNumber:
    """A list shows passport numbers masked (the minimum necessary); the person's page shows it whole."""

    @admin.display(description=_("passport number"))
    def masked_passport(self, person):
        return person.masked_passport_number or None


class PersonInline(MaskedPassportNumber, admin.TabularInline):
    model = Person
    extra = 0
    show_change_link = True
    fields = ["full_name", "pinyin_name", "position", "passport_type", "masked_passport", "passport_expiry"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _form_changes(form) -> dict:
    return {field: form.cleaned_data[field] for field in form.changed_data}


def _adopt(obj, created) -> None:
    """Make the admin's unsaved object stand for the row a service created (for inlines and redirects)."""
    obj.pk = created.pk
    obj._state.adding = False
    obj._state.db = created._state.db


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "uscc", "ftz_area", "industry", "people_count", "is_active"]
    list_filter = ["ftz_area", "industry", "is_active"]
    search_fields = ["name_zh", "name_en", "uscc", "contact_name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline, PersonInline]
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "uscc", "ftz_area", "industry", "is_active"]}),
        (_("Contact"), {"fields": ["address", "contact_name", "contact_phone", "contact_email"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_total=Count("people"))

    @admin.display(description=_("travellers"), ordering="people_total")
    def people_count(self, obj):
        return obj.people_total

    def save_model(self, request, obj, form, change):
        if change:
            services.organization_update(organization=obj, actor=request.user, data=_form_changes(form))
        else:
            _adopt(obj, services.organization_create(actor=request.user, **form.cleaned_data))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            services.membership_save(membership=membership, actor=request.user)
        for membership in formset.deleted_objects:
            services.membership_delete(membership=membership, actor=request.user)

    def delete_model(self, request, obj):
        services.organization_delete(organization=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            services.organization_delete(organization=organization, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "is_liaison", "job_title", "created_at"]
    list_filter = ["is_liaison", "organization__ftz_area"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "organization__name_zh"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request, obj, form, change):
        services.membership_save(membership=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.membership_delete(membership=membership, actor=request.user)


@admin.register(Person)
class PersonAdmin(PersonPrivacyAdminMixin, MaskedPassportNumber, admin.ModelAdmin):
    list_display = [
        "full_name",
        "pinyin_name",
        "organization",
        "position",
        "passport_type",
        "masked_passport",
        "passport_expiry",
    ]
    list_filter = ["passport_type", "gender", "organization__ftz_area"]
    # A whole number is found through its blind index (privacy.fields); the list shows it masked.
    search_fields = ["full_name", "pinyin_name", "=passport_number", "organization__name_zh"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The form shows the number whole in its input: opening the page is a look (privacy.access).
        if obj is not None and request.method == "GET":
            access.passport_number_shown(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.person_update(person=obj, actor=request.user, data=_form_changes(form))
        else:
            _adopt(obj, services.person_create(actor=request.user, **form.cleaned_data))

    def delete_model(self, request, obj):
        services.person_delete(person=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person, actor=request.user)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "email", "role_names", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active", "is_superuser"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["phone", "preferred_language"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        # Only superusers hand out roles and powers; officers manage enterprise accounts, whose roles
        # follow from their membership.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and (obj.is_superuser or obj.is_office_staff):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    def save_related(self, request, form, formsets, change):
        # The roles go through the service (checked, staff status, audit) instead of the form's save_m2m;
        # the field is only on a superuser's form.
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            services.user_roles_set(user=form.instance, groups=groups, actor=request.user)
        if form.instance.pk == request.user.pk:
            # A superuser who changed their own powers stays signed in here (their other sessions end).
            update_session_auth_hash(request, User.objects.get(pk=request.user.pk))


class SubstitutionPeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("active", _("Active now")), ("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.filter(starts_on__lte=today, ends_on__gte=today)
        if self.value() == "upcoming":
            return queryset.filter(starts_on__gt=today)
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset


def _office_staff():
    return User.objects.filter(
        is_active=True, pk__in=Group.objects.filter(name__in=OFFICE_ROLES).values("user")
    ).order_by("last_name", "first_name", "username")


@admin.register(Substitution)
class SubstitutionAdmin(admin.ModelAdmin):
    """An officer or leader names their stand-in for an absence; the substitute's actions in their role
    are audited "on behalf of" them. Non-superusers only see and manage their own substitutions."""

    list_display = ["principal", "substitute", "starts_on", "ends_on", "reason", "is_active_now"]
    list_filter = [SubstitutionPeriodFilter]
    search_fields = [
        "principal__username",
        "principal__last_name",
        "substitute__username",
        "substitute__last_name",
    ]
    list_select_related = ["principal", "substitute"]
    fields = ["principal", "substitute", "starts_on", "ends_on", "reason"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(principal=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Others name substitutes only for themselves; the field shows who that is.
        return [] if request.user.is_superuser else ["principal"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("principal", "substitute"):
            staff = _office_staff()
            if db_field.name == "substitute" and not request.user.is_superuser:
                staff = staff.exclude(pk=request.user.pk)
            kwargs["queryset"] = staff
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.user.is_superuser:
            return form
        principal = request.user

        class OwnSubstitutionForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.principal_id is None:
                    self.instance.principal = principal

            def _get_validation_exclusions(self):
                # The principal is not a form field but is set: check the constraints that involve it.
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("principal")
                return exclusions

        return OwnSubstitutionForm

    @admin.display(description=_("active now"), boolean=True)
    def is_active_now(self, substitution):
        return substitution.starts_on <= timezone.localdate() <= substitution.ends_on

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not change:
            obj.principal = request.user
        services.substitution_save(substitution=obj, actor=request.user)
