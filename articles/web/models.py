"""What came from the web: the fetched page kept with its article, and subscribed feeds."""

import gzip

from django.conf import settings
from django.db import models
from django.utils import timezone


class ArticleSnapshot(models.Model):
    """The page as fetched (gzip-compressed), for provenance.

    Its own table, so article lists and the article's history never load the page.
    """

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="snapshot")
    url = models.URLField("requested URL", max_length=1000)
    final_url = models.URLField("final URL", max_length=1000, help_text="After redirects")
    fetched_at = models.DateTimeField(default=timezone.now)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="Bytes before compression")
    content_gz = models.BinaryField()

    def __str__(self):
        return f"Snapshot of {self.final_url}"

    @classmethod
    def of_fetch(cls, article, result):
        return cls(
            article=article,
            url=result.url[:1000],
            final_url=result.final_url[:1000],
            fetched_at=result.fetched_at,
            content_type=result.content_type[:200],
            size=len(result.body),
            content_gz=gzip.compress(result.body, compresslevel=6),
        )

    @property
    def content(self):
        return gzip.decompress(bytes(self.content_gz))


class Feed(models.Model):
    url = models.URLField("feed URL", max_length=1000, unique=True, help_text="RSS or Atom")
    outlet = models.CharField(max_length=200, help_text="Recorded as the outlet of every article from it")
    active = models.BooleanField(default=True)
    poll_minutes = models.PositiveIntegerField(
        "poll interval (minutes)", default=60, help_text="How often `poll_feeds` fetches it"
    )
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["outlet", "url"]

    def __str__(self):
        return f"{self.outlet} ({self.url})"


class FeedEntry(models.Model):
    """An item seen in a feed; recorded once, so it is never imported twice."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=1000, help_text="The item's guid/id, else its link")
    link = models.URLField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="feedentry_unique_key")]
        verbose_name_plural = "feed entries"

    def __str__(self):
        return self.title or self.link
