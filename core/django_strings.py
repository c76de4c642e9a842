"""Django admin strings that Django's own Simplified Chinese catalog leaves untranslated.

gettext_noop puts them into our catalogs (makemessages reads this module); at run time our LOCALE_PATHS catalog is
read before Django's, so the admin templates' own {% translate %} tags find these translations.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = (
    # admin/app_list.html: the header row screen readers announce in the sidebar's model tables.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
