from django import forms
from django.conf import settings

from articles.guards.encoding import has_replaced_bytes
from articles.ingest.pipeline import IngestError, format_for_filename, ingest, ingest_file, looks_like_html


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files; cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)) and len(data) > 1:
            cleaned, problems = [], []
            for item in data:
                try:
                    cleaned.append(super().clean(item, initial))
                except forms.ValidationError as exc:
                    problems += [f"{item.name}: {message}" for message in exc.messages]  # which of them
            if problems:
                raise forms.ValidationError(problems)
            return [item for item in cleaned if item]
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


class ArticleAddForm(forms.Form):
    text = forms.CharField(
        label="Paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "Title on the first line, then the story…"}),
    )
    file = MultipleFileField(
        label="…or upload a .txt or .html file (or several)",
        required=False,
        help_text="Several files at once are added in the background, each on its own.",
    )
    title = forms.CharField(max_length=500, required=False, help_text="Leave empty to take it from the text")
    outlet = forms.CharField(max_length=200, required=False)
    byline = forms.CharField(max_length=300, required=False)
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    published = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if "file" in self.errors:
            return data  # the file's own error says what is wrong
        text, uploads = data.get("text", ""), data.get("file") or []
        if bool(text.strip()) == bool(uploads):
            raise forms.ValidationError("Paste the text or upload a file (one of the two).")
        if len(uploads) > 1:
            return self._clean_several(data, uploads)
        upload = uploads[0] if uploads else None
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

    def _clean_several(self, data, uploads):
        """Several files: check what can be checked now; each file is read by the job."""
        limit = settings.ANNOTATOR_MAX_UPLOAD_FILES
        if len(uploads) > limit:
            raise forms.ValidationError(f"Upload at most {limit} files at once.")
        if data.get("title") or data.get("url"):
            raise forms.ValidationError(
                "With several files, leave the title and URL empty: each file gives its own."
            )
        too_big = [u.name for u in uploads if u.size > settings.ANNOTATOR_MAX_UPLOAD_BYTES]
        if too_big:
            raise forms.ValidationError(
                f"Larger than {settings.ANNOTATOR_MAX_UPLOAD_BYTES // 1024 // 1024} MB: {', '.join(too_big)}."
            )
        data["uploads"] = [(upload.name, upload.read()) for upload in uploads]
        return data
