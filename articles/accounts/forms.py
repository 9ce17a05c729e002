"""Log-in forms that refuse an over-long username before anything authenticates it.

AuthenticationForm sets the username field's max_length after the field is built, which
changes the widget but adds no validator, so a 1,000-character username still reached
authenticate(), and django-axes then failed to record it in its varchar(255) column
(a 500 on PostgreSQL).
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm


class UsernameLengthMixin:
    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise forms.ValidationError(f"A username has at most {limit} characters.")
        return username


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass
