"""Admin base classes every app's operator screens share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record operators inspect but never add, change or delete here: it changes only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
