from django import forms

from articles.web.importing import parse_url_list

MAX_URLS = 1000


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label="Web addresses (one per line)",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "https://news.example.org/2026/05/story"}),
    )

    def clean_urls(self):
        try:
            urls = parse_url_list(self.cleaned_data["urls"])
        except ValueError as exc:
            raise forms.ValidationError(f"Check the list: {exc}.") from None
        if not urls:
            raise forms.ValidationError("Paste at least one web address.")
        if len(urls) > MAX_URLS:
            raise forms.ValidationError(
                f"At most {MAX_URLS} addresses at a time (this list has {len(urls)})."
            )
        return urls
