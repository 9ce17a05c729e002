import random
import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.coding.models import MAX_CODERS_PER_ARTICLE, CodingBatch
from articles.guards.values import parse_id
from articles.models import Article
from articles.search.fulltext import SearchQueryError

MAX_ARTICLES = 10_000


def analyst_choices():
    """Active users who may annotate (through a role, their own permissions, or superuser)."""
    may_annotate = (
        Q(groups__permissions__codename="add_annotation")
        | Q(user_permissions__codename="add_annotation")
        | Q(is_superuser=True)
    )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=users.filter(may_annotate).values("pk")).order_by("username")


class AnalystChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # A number beyond any id would overflow the query that looks the choices up.
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        return obj.get_username()


class BatchForm(forms.Form):
    name = forms.CharField(max_length=200)
    query = forms.CharField(
        required=False,
        label="Articles matching",
        help_text="The article list's search: every article whose title or text contains this",
    )
    article_ids = forms.CharField(
        required=False,
        label="and/or article numbers",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by spaces or commas",
    )
    analysts = AnalystChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    coders_per_article = forms.IntegerField(min_value=1, max_value=MAX_CODERS_PER_ARTICLE, initial=2)
    blind = forms.BooleanField(
        required=False, initial=True, help_text="Analysts see only their own tags until adjudication"
    )
    seed = forms.IntegerField(min_value=0, max_value=2**63 - 1, help_text="The same seed deals the same way")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.search = search
        self.fields["analysts"].queryset = analyst_choices()
        self.fields["seed"].initial = random.randrange(1, 1_000_000)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if CodingBatch.objects.filter(name=name).exists():
            raise forms.ValidationError("A batch of this name exists already.")
        return name

    def clean_article_ids(self):
        values = [v for v in re.split(r"[\s,;]+", self.cleaned_data["article_ids"]) if v]
        bad = [v for v in values if parse_id(v) is None]
        if bad:
            raise forms.ValidationError(f"“{bad[0][:40]}” is not an article number.")
        ids = {parse_id(v) for v in values}
        missing = ids - set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing:
            raise forms.ValidationError(f"There is no article #{min(missing)}.")
        return ids

    def clean(self):
        data = super().clean()
        ids = set(data.get("article_ids") or ())
        query = (data.get("query") or "").strip()
        if query:
            try:
                ids |= set(self.search(query).values_list("pk", flat=True)[: MAX_ARTICLES + 1])
            except SearchQueryError as exc:
                self.add_error("query", str(exc))
                return data
        if "article_ids" in data and not ids:
            raise forms.ValidationError("Choose the articles: a search that finds some, or article numbers.")
        if len(ids) > MAX_ARTICLES:
            raise forms.ValidationError(f"A batch holds at most {MAX_ARTICLES:,} articles.")
        analysts = data.get("analysts")
        per_article = data.get("coders_per_article")
        if analysts is not None and per_article and per_article > len(analysts):
            self.add_error(
                "coders_per_article",
                f"{per_article} coders per article need at least {per_article} analysts; "
                f"you chose {len(analysts)}.",
            )
        data["all_article_ids"] = ids
        return data
