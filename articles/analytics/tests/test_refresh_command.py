import io

from django.core.management import call_command

from articles.analytics.models import DirtyArticle, EntityTotal, MonthEntityCell
from articles.analytics.tests.fixtures import entity, make_article, tag
from articles.models import Source


def run(*args):
    out = io.StringIO()
    call_command("refresh_analytics", *args, stdout=out)
    return out.getvalue()


def test_it_fills_the_summary_of_the_dirty_articles_before_any_page_is_read(annotator_user):
    official = entity("An official", Source.GOVERNMENT)
    tag(make_article("Alpha Post"), "named person", annotator_user, source_entity=official)
    assert DirtyArticle.objects.exists()
    assert "recomputed 1 dirty articles" in run()
    assert not DirtyArticle.objects.exists()
    assert MonthEntityCell.objects.get(entity_id=official.pk).citations_all == 1
    assert EntityTotal.objects.get(entity_id=official.pk).outlets_all == 1


def test_it_rebuilds_everything_with_all(annotator_user):
    official = entity("An official", Source.GOVERNMENT)
    tag(make_article("Alpha Post"), "named person", annotator_user, source_entity=official)
    run()
    EntityTotal.objects.all().delete()
    assert "every article" in run("--all")
    assert EntityTotal.objects.get(entity_id=official.pk).citations_all == 1
