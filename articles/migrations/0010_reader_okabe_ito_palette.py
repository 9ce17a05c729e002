"""Default codebook colours from the Okabe–Ito palette, which colour-blind readers can
tell apart, with no colour shared between categories. Only labels that still have the
colour the default codebook gave them are changed: a curator's choice stays."""

from django.db import migrations

# (category slug, label name): (old default, new colour)
PALETTE = {
    ("claim", "factual"): ("#f2c94c", "#f0e442"),  # yellow
    ("claim", "opinion"): ("#f2994a", "#e69f00"),  # orange
    ("claim", "prediction"): ("#bb6bd9", "#56b4e9"),  # sky blue
    ("source", "named person"): ("#2d9cdb", "#0072b2"),  # blue
    ("source", "anonymous source"): ("#eb5757", "#d55e00"),  # vermillion
    ("source", "organisation or document"): ("#27ae60", "#009e73"),  # bluish green
    ("tone", "negative"): ("#d0312d", "#000000"),  # black
    ("tone", "neutral"): ("#828282", "#767676"),  # grey
    ("tone", "positive"): ("#219653", "#cc79a7"),  # reddish purple
}


def recolour(apps, schema_editor, forward=True):
    Label = apps.get_model("articles", "Label")
    for (category, name), (old, new) in PALETTE.items():
        before, after = (old, new) if forward else (new, old)
        Label.objects.filter(category__slug=category, name=name, colour__iexact=before).update(colour=after)


def back(apps, schema_editor):
    recolour(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_analytics_article_outlet_index")]
    operations = [migrations.RunPython(recolour, back)]
