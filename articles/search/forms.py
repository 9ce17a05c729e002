from django import forms

from articles.coding.models import Assignment, CodingBatch
from articles.models import Label
from articles.search.fulltext import SearchQueryError, parse
from articles.search.listing import ArticleFilters


class ArticleSearchForm(forms.Form):
    """The article list's query string: search, scope and filters, all optional."""

    q = forms.CharField(required=False, max_length=500, label="Search")
    scope = forms.ChoiceField(
        required=False, choices=[("articles", "Articles"), ("annotations", "Annotations")], label="Search in"
    )
    outlet = forms.CharField(required=False, max_length=200)
    published_from = forms.DateField(required=False, label="Published from")
    published_to = forms.DateField(required=False, label="to")
    annotated = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("yes", "With annotations"), ("no", "Without annotations")],
        label="Annotations",
    )
    mine = forms.BooleanField(required=False, label="Annotated by me")
    label = forms.ModelChoiceField(
        queryset=Label.objects.select_related("category"),
        required=False,
        empty_label="Any label",
        label="Label used",
        error_messages={"invalid_choice": "There is no such label."},
    )

    assigned = forms.BooleanField(required=False, label="Assigned to me")
    batch = forms.ModelChoiceField(
        queryset=CodingBatch.objects.order_by("-id"),
        required=False,
        empty_label="Any batch",
        label="Coding batch",
        error_messages={"invalid_choice": "There is no such coding batch."},
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *Assignment.STATUS_CHOICES],
        label="Assignment",
        error_messages={"invalid_choice": "Use to do, in progress or done."},
    )

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        try:
            parse(query)
        except SearchQueryError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return query

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "The end of the date range is before its start.")
        return cleaned

    def filters(self):
        data = self.cleaned_data
        return ArticleFilters(
            outlet=data["outlet"].strip(),
            published_from=data["published_from"],
            published_to=data["published_to"],
            annotated=data["annotated"],
            mine=data["mine"],
            label=data["label"],
            assigned=data["assigned"],
            batch=data["batch"],
            status=data["status"],
        )
