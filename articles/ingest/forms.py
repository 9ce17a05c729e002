from django import forms
from django.conf import settings

from articles.guards.encoding import has_replaced_bytes
from articles.ingest.pipeline import IngestError, format_for_filename, ingest, ingest_file, looks_like_html


class ArticleAddForm(forms.Form):
    text = forms.CharField(
        label="Paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "Title on the first line, then the story…"}),
    )
    file = forms.FileField(label="…or upload a .txt or .html file", required=False)
    title = forms.CharField(max_length=500, required=False, help_text="Leave empty to take it from the text")
    outlet = forms.CharField(max_length=200, required=False)
    byline = forms.CharField(max_length=300, required=False)
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    published = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        text, upload = data.get("text", ""), data.get("file")
        if bool(text.strip()) == bool(upload):
            raise forms.ValidationError("Paste the text or upload a file (one of the two).")
        try:
            if upload:
                if upload.size > settings.ANNOTATOR_MAX_UPLOAD_BYTES:
                    raise IngestError(
                        f"the file is larger than {settings.ANNOTATOR_MAX_UPLOAD_BYTES // 1024 // 1024} MB"
                    )
                format_for_filename(upload.name)
                data["ingested"] = ingest_file(upload.read(), upload.name, title=data.get("title", ""))
            else:
                if has_replaced_bytes(text):
                    raise IngestError(
                        "the pasted text is not valid UTF-8: it holds U+FFFD (�), the mark of bytes "
                        "that could not be read; paste it again from the original"
                    )
                source_format = "html" if looks_like_html(text) else "text"
                data["ingested"] = ingest(text, source_format=source_format, title=data.get("title", ""))
        except IngestError as exc:
            raise forms.ValidationError(f"Could not read the article: {exc}.") from None
        return data
