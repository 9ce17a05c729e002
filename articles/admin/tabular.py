"""A tabular inline's rows drawn in Python: the same HTML as the rows of Django's
admin/edit_inline/tabular.html, which templates/admin/articles/article/annotation_inline.html
copies but for them.

The article review page has a row per annotation (up to 1,000). Django's template
resolves some 250 variables and loops for each row, most of that page's time at 40
annotations (docs/scaling.md). Django's own objects (InlineAdminForm, AdminField,
AdminReadonlyField) still decide what each cell holds; only the drawing moved.
"""

from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def tabular_rows(inline_admin_formset):
    """The <tr> of each form of `inline_admin_formset` (an admin InlineAdminFormSet)."""
    formset = inline_admin_formset.formset
    admin_forms = list(inline_admin_formset)
    rows = []
    for index, admin_form in enumerate(admin_forms):
        # The add permission's last form is the template that "Add another" copies.
        empty = index == len(admin_forms) - 1 and inline_admin_formset.has_add_permission
        errors = admin_form.form.non_field_errors()
        if errors:
            rows.append(
                f'<tr class="row-form-errors"><td colspan="{cell_count(admin_form)}">{errors}</td></tr>'
            )
        classes = "form-row " + ("has_original" if admin_form.original or admin_form.show_url else "")
        classes += " empty-form" if empty else ""
        row_id = conditional_escape(f"{formset.prefix}-{'empty' if empty else index}")
        cells = [_original_cell(inline_admin_formset, admin_form)]
        cells += [_field_cell(field) for fieldset in admin_form for line in fieldset for field in line]
        deletable = formset.can_delete and inline_admin_formset.has_delete_permission and admin_form.original
        cells.append(f'<td class="delete">{admin_form.deletion_field.field if deletable else ""}</td>')
        rows.append(f'<tr class="{classes}" id="{row_id}">{"".join(cells)}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 (each part escaped above or drawn by Django)


def _original_cell(inline_admin_formset, admin_form):
    parts = []
    original = admin_form.original
    if original or admin_form.show_url:
        parts.append("<p>")
        if original:
            parts.append(conditional_escape(original))
            inline = admin_form.model_admin
            if inline.show_change_link and inline.has_registered_model:
                opts = inline.opts
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(original.pk),),
                    current_app=inline.admin_site.name,
                )
                can_change = inline_admin_formset.has_change_permission
                css, text = (
                    ("inlinechangelink", gettext("Change"))
                    if can_change
                    else ("inlineviewlink", gettext("View"))
                )
                parts.append(f' <a href="{conditional_escape(url)}" class="{css}">{text}</a>')
        if admin_form.show_url:
            parts.append(
                f' <a href="{conditional_escape(admin_form.absolute_url)}">{gettext("View on site")}</a>'
            )
        parts.append("</p>")
    if admin_form.needs_explicit_pk_field():
        parts.append(str(admin_form.pk_field().field))
    fk = admin_form.fk_field()
    if fk:
        parts.append(str(fk.field))
    return f'<td class="original">{"".join(parts)}</td>'


def _field_cell(field):
    if field.is_readonly:  # an AdminReadonlyField: its field is a dict
        name, hidden = field.field["name"], field.field["is_hidden"]
        body = f"<p>{field.contents()}</p>"
    else:  # an AdminField: its field is the BoundField
        name, hidden = field.field.name, field.field.is_hidden
        body = f"{field.field.errors.as_ul()}{field.field}"
    classes = (f"field-{name}" if name else "") + (" hidden" if hidden else "")
    return f'<td class="{conditional_escape(classes)}">{body}</td>'
