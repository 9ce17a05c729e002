"""The default codebook's colour-blind-safe palette (migration 0004)."""

from articles.models import Label


def test_it_uses_no_colour_twice_in_the_default_codebook(db):
    from articles.conftest import ensure_reference_data

    ensure_reference_data()
    colours = [label.colour.lower() for label in Label.objects.all()]
    assert len(colours) == 9 and len(set(colours)) == 9
    assert Label.objects.get(name="anonymous source").colour == "#d55e00"


def test_it_keeps_a_curators_colour_when_recolouring(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0010_reader_okabe_ito_palette")
    Label.objects.filter(name="factual").update(colour="#f2c94c")  # still the old default
    Label.objects.filter(name="opinion").update(colour="#123456")  # a curator's choice
    migration.recolour(apps, None)
    assert Label.objects.get(name="factual").colour == "#f0e442"
    assert Label.objects.get(name="opinion").colour == "#123456"
