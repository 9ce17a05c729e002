"""The curation admin (see docs/curation.md).

One module per admin area; importing them registers their ModelAdmins.
"""

from django.contrib import admin

from articles.accounts.forms import AdminLoginForm
from articles.admin import annotations, articles, codebook, sources, web  # noqa: F401
from articles.coding import admin as coding_admin  # noqa: F401

admin.site.site_header = "Annotator curation"
admin.site.site_title = "Annotator curation"
admin.site.index_title = "Codebook, articles and annotation review"
# Four models fit in the breadcrumbs and the index; the sidebar would only take width
# from the annotation list.
admin.site.enable_nav_sidebar = False

# The admin's log-in refuses over-long usernames too (articles/accounts/forms.py).
admin.site.login_form = AdminLoginForm
