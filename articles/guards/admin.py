"""Admin actions whose selection holds an id that is not a row id ('' or 5,000 digits)
were a 500 (ValueError, or OverflowError on SQLite); they are refused with a message."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

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
