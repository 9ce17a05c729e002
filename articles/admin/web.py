"""Articles from the web in the admin: an article's fetched snapshot, and the feeds curators subscribe to."""

from django.contrib import admin
from django.utils.html import format_html

from articles.web.fetch import decode_body
from articles.web.models import ArticleSnapshot, Feed, FeedEntry

SOURCE_SHOWN = 20_000  # characters of the page source shown inline


class FetchedPageMixin:
    """The article admin's "fetched page" field: where and when it was fetched, and its source."""

    @admin.display(description="fetched page")
    def fetched_page(self, article):
        snapshot = ArticleSnapshot.objects.filter(article=article).first()
        if snapshot is None:
            return "—"
        source = decode_body(snapshot.content, snapshot.content_type)
        more = f"\n… ({len(source) - SOURCE_SHOWN:,} more characters)" if len(source) > SOURCE_SHOWN else ""
        # Shown as escaped text, never rendered: the page is untrusted.
        return format_html(
            '<p>{} fetched {} ({}, {} bytes){}</p><pre class="snapshot-source">{}{}</pre>',
            snapshot.final_url,
            snapshot.fetched_at.strftime("%Y-%m-%d %H:%M UTC"),
            snapshot.content_type or "no content type",
            f"{snapshot.size:,}",
            f", asked for {snapshot.url}" if snapshot.url != snapshot.final_url else "",
            source[:SOURCE_SHOWN],
            more,
        )


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["outlet", "url", "active", "poll_minutes", "last_polled_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["outlet", "url"]
    fields = ["url", "outlet", "active", "poll_minutes", "next_poll_at", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]
    actions = ["poll_now"]

    @admin.action(description="Poll the selected feeds now", permissions=["change"])
    def poll_now(self, request, queryset):
        from articles.web.tasks import start_feed_poll

        feeds = list(queryset.filter(active=True))
        for feed in feeds:
            start_feed_poll(feed)
        self.message_user(request, f"{len(feeds)} active feed(s) queued; see Jobs for the results.")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "outcome", "reason", "article", "seen_at"]
    list_filter = ["outcome"]
    list_select_related = ["feed", "article"]
    search_fields = ["link", "title"]
    show_full_result_count = False
    readonly_fields = ["feed", "key", "link", "title", "outcome", "reason", "article", "seen_at"]

    def has_add_permission(self, request):
        return False
