"""The admin's history pages: who changed what and when, with values before and after.

Every curation ModelAdmin derives from HistoryAdmin. django-simple-history records
the rows (its middleware supplies the request user); this module only decides how
they are shown, with templates free of inline style so they work under the CSP.
"""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.guards.admin import CheckedAutocompleteMixin, CheckedSelectionMixin
from articles.permissions import is_curator
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


class HistoryAdmin(CheckedSelectionMixin, CheckedAutocompleteMixin, SimpleHistoryAdmin):
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

    # --- who may read and revert history ---
    # simple-history's views check only the model-wide view permission, read an object
    # this user's queryset hides (blind coding) from its history rows, and save the old
    # version whole, fields the user may not edit included. Here its pages answer to the
    # same rules as the change page (get_queryset, has_change_permission, the form's
    # fields; articles/permissions.py behind them).

    def visible_object(self, request, object_id):
        """The object as this user's change page would find it; a removed object's history
        is for curators only. Http404 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None and not is_curator(request.user):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.visible_object(request, object_id)
        if request.method == "POST":
            return self.revert(request, current)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert(self, request, current):
        """Revert: the change form submitted with the old version's values, against the
        object as it is now. The same checks and bookkeeping as a change (a review voided
        by an author's edit, say), and fields the form does not offer stay as they are."""
        if current is None or not self.has_change_permission(request, current):
            raise PermissionDenied
        form = self.get_form(request, current)(request.POST, request.FILES, instance=current)
        if not form.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            messages.error(request, f"Not reverted: {problems}")
            return redirect(request.path)
        if not form.has_changed():
            messages.info(request, "What you may edit of this version is as it is now: nothing to revert.")
            return redirect(request.path)
        reverted = self.save_form(request, form, change=True)
        self.save_model(request, reverted, form, change=True)
        form.save_m2m()
        self.log_change(request, reverted, self.construct_change_message(request, form, []))
        return self.response_change(request, reverted)

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
