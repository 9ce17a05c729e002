"""The admin's history pages: who changed what and when, with values before and after.

Every curation ModelAdmin derives from HistoryAdmin. django-simple-history records
the rows (its middleware supplies the request user); this module only decides how
they are shown, with templates free of inline style so they work under the CSP.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.guards.admin import CheckedSelectionMixin
from articles.spans.annotating import REVIEW_VOIDED

# Bookkeeping fields that change on every save and would drown the real changes.
NOT_SHOWN_IN_CHANGES = ["updated_at", "content_hash"]


class ChoiceAwareContextHelper(HistoricalRecordContextHelper):
    """Show "Pending → Accepted" rather than the stored "pending → accepted", and times
    the way the rest of the page shows them."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and value is not None:
            return dict(field.flatchoices).get(value, value)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j M Y, H:i:s")
        return super().prepare_delta_change_value(change, value)


def what_happened(record, changed_fields):
    """A one-word summary of a history row for the "What" column."""
    if record.history_type == "+":
        return "Created"
    if record.history_type == "-":
        return "Deleted permanently"
    if "deleted_at" in changed_fields:
        return "Restored" if record.deleted_at is None else "Deleted"
    if getattr(record, "history_change_reason", None) == REVIEW_VOIDED:
        return "Changed after review"
    if "status" in changed_fields:
        return "Reviewed"
    if "active" in changed_fields:
        return "Reactivated" if record.active else "Retired"
    return "Changed"


class HistoryAdmin(CheckedSelectionMixin, SimpleHistoryAdmin):
    # simple-history's own list template has an inline style attribute the CSP blocks.
    object_history_list_template = "admin/articles/object_history_list.html"

    def get_changelist_form(self, request, **kwargs):
        """Name each list-editable input after its row ("order of Claim: factual"): a
        column of unlabelled inputs tells a screen reader nothing."""
        base = super().get_changelist_form(request, **kwargs)

        class NamedRowForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for name, field in self.fields.items():
                    if self.instance.pk is not None:
                        field.widget.attrs["aria-label"] = f"{field.label or name} of {self.instance}"

        return NamedRowForm

    def get_historical_record_context_helper(self, request, historical_record):
        return ChoiceAwareContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Newest first: each record is compared with the one before it in time.
        records = list(historical_records)
        fields = {field.name for field in self.model._meta.concrete_fields}
        excluded = [name for name in NOT_SHOWN_IN_CHANGES if name in fields]
        for index, newer in enumerate(records):
            older = records[index + 1] if index + 1 < len(records) else None
            changed_fields = set()
            if older is None and newer.history_type == "~":
                # The oldest row on this page still has an older one on the next page.
                older = newer.prev_record
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(
                    older, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
                )
                changed_fields = set(delta.changed_fields)
                helper = self.get_historical_record_context_helper(request, newer)
                newer.history_delta_changes = helper.context_for_delta_changes(delta)
            newer.what_happened = what_happened(newer, changed_fields)
