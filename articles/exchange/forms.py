from django import forms
from django.conf import settings

from articles.exchange.import_rows import FORMATS


class AnnotationImportForm(forms.Form):
    file = forms.FileField(label="Annotation file (.csv, .jsonl or .jsonld)")
    format = forms.ChoiceField(
        choices=[("", "From the file name")] + [(name, name.upper()) for name in FORMATS],
        required=False,
    )
    skip_bad = forms.BooleanField(
        label="Import the good rows and list the bad ones",
        required=False,
        help_text="Otherwise one bad row stops the import and nothing is saved.",
    )
    raw = forms.BooleanField(
        label="The CSV was exported raw (no spreadsheet escaping)",
        required=False,
        help_text="Leave unticked for files from the normal or Excel export.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ANNOTATOR_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // 1024 // 1024} MB.")
        return upload
