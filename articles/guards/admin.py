"""Admin actions whose selection holds an id that is not a row id ('' or 5,000 digits)
were a 500 (ValueError, or OverflowError on SQLite); they are refused with a message.
So was a change form posted with such a value in an autocomplete field: the form's error
is shown instead."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from articles.guards.values import parse_id

LARGEST_ID = 2**63 - 1


def _is_row_id(field, value):
    try:
        number = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(number, int) or 0 < number <= LARGEST_ID


class CheckedSelectionMixin:
    def response_action(self, request, queryset, **kwargs):
        pk = self.model._meta.pk
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_row_id(pk, value) for value in selected):
            self.message_user(
                request, "The selection holds something that is not a row; nothing was done.", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's widget looks the posted value up to redisplay it, and a value that is no
    id (a mistyped or tampered post) fails that lookup; such a value is not redisplayed,
    and the field's own error says what was wrong."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [each for each in value if parse_id(each) is not None], attr)


class CheckedAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
