from django.db import migrations

CODEBOOK = [
    (
        "Claim",
        "claim",
        "background",
        "What the text asserts.",
        [
            ("factual", "A checkable statement of fact.", "#f2c94c", "1"),
            ("opinion", "A judgement or evaluation.", "#f2994a", "2"),
            ("prediction", "A statement about what will happen.", "#bb6bd9", "3"),
        ],
    ),
    (
        "Source",
        "source",
        "underline",
        "Who or what the information is attributed to.",
        [
            ("named person", "A source identified by name.", "#2d9cdb", "4"),
            ("anonymous source", "An unnamed official, insider or witness.", "#eb5757", "5"),
            ("organisation or document", "An institution, report, statement or record.", "#27ae60", "6"),
        ],
    ),
    (
        "Tone",
        "tone",
        "outline",
        "How the passage is told.",
        [
            ("negative", "Loaded, hostile or alarming wording.", "#d0312d", "7"),
            ("neutral", "Plain, descriptive wording.", "#828282", "8"),
            ("positive", "Approving or hopeful wording.", "#219653", "9"),
        ],
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("articles", "Category")
    Label = apps.get_model("articles", "Label")
    for order, (name, slug, display, description, labels) in enumerate(CODEBOOK):
        category, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "display": display, "description": description, "order": order},
        )
        for label_order, (label, label_description, colour, hotkey) in enumerate(labels):
            Label.objects.get_or_create(
                category=category,
                name=label,
                defaults={
                    "description": label_description,
                    "colour": colour,
                    "hotkey": hotkey,
                    "order": label_order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
