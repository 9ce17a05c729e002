"""Articles from the web in the admin: an article's fetched snapshot, and the feeds curators subscribe to."""

from django.contrib import admin
from django.utils.html import format_html

from articles.web.fetch import decode_body
from articles.web.models import ArticleSnapshot, Feed, FeedEntry

SOURCE_SHOWN = 20_000  # characters of the page source shown inline


class SnapshotInline(admin.StackedInline):
    model = ArticleSnapshot
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name = "fetched page"
    fields = ["url", "final_url", "fetched_at", "content_type", "size", "page_source"]
    readonly_fields = fields

    # Whoever may see the article may see what it was fetched from; nobody edits it.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="page source")
    def page_source(self, snapshot):
        source = decode_body(snapshot.content, snapshot.content_type)
        more = f"\n… ({len(source) - SOURCE_SHOWN:,} more characters)" if len(source) > SOURCE_SHOWN else ""
        # Shown as escaped text, never rendered: the page is untrusted.
        return format_html('<pre class="snapshot-source">{}{}</pre>', source[:SOURCE_SHOWN], more)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["outlet", "url", "active", "poll_minutes", "last_polled_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["outlet", "url"]
    fields = ["url", "outlet", "active", "poll_minutes", "next_poll_at", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]

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
