"""Who said what on the reading page (HTMX partials) and the Sources pages.

Every endpoint asks articles/permissions.py; refusals are 4xx with a message in the
who-said-what panel's message line, never a 500.
"""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from articles.analytics.reader import announce_change
from articles.guards.values import parse_id
from articles.models import Annotation, Article, Attribution, Category, Source
from articles.paging import page_number, peek_page
from articles.permissions import (
    can_add_source,
    can_attribute,
    can_change_annotation,
    can_view_sources,
    visible_annotations,
)
from articles.sources.attributing import (
    AttributionError,
    attribute,
    entity_or_error,
    identify_source,
    remove_attribution,
    set_own_voice,
    set_tone,
    suggested_anonymity,
    suggestion_for,
    update_attribution,
)
from articles.sources.reading import reader_data
from articles.sources.registry import create_source, find_by_name, matched_alias, search_sources
from articles.sources.stats import entity_stats

WHO = "sources/_who.html"
PER_PAGE = 50


def _annotation(user, article_pk, annotation_pk):
    """The annotation, if `user` may see it (blind coding hides other coders' work: 404)."""
    return get_object_or_404(
        visible_annotations(
            user,
            Annotation.objects.select_related(
                "label__category", "article", "source_entity", "tone_target_entity"
            ),
        ),
        pk=annotation_pk,
        article_id=article_pk,
    )


def _refused(request, message, status):
    html = f'<p class="message message-error" role="alert">{escape(message)}</p>'
    return reswap(retarget(HttpResponse(html, status=status), "#who-messages"), "innerHTML")


def who_context(request, annotation, **extra):
    kind = annotation.label.category.kind
    context = {
        "article": annotation.article,
        "annotation": annotation,
        "kind": kind,
        "editable": can_change_annotation(request.user, annotation),
        "can_attribute": can_attribute(request.user, annotation),
        "can_add_source": can_add_source(request.user),
        **extra,
    }
    if kind == Category.CLAIM:
        context["links"] = list(
            Attribution.objects.live()
            .filter(claim=annotation)
            .select_related("source__source_entity")
            .order_by("source__start", "source_id")
        )
        linked = {link.source_id for link in context["links"]}
        context["candidates"] = [
            source
            for source in visible_annotations(
                request.user,
                Annotation.objects.filter(
                    article_id=annotation.article_id, label__category__kind=Category.SOURCE
                ),
            )
            .select_related("source_entity")
            .in_text_order()
            if source.pk not in linked
        ]
    elif kind == Category.SOURCE:
        context["claims"] = list(
            Attribution.objects.live()
            .filter(source=annotation)
            .select_related("claim")
            .order_by("claim__start")
        )
        context["suggested_anonymity"] = annotation.anonymity or suggested_anonymity(annotation)
        context["anonymity_choices"] = Annotation.ANONYMITY_CHOICES
    elif kind == Category.TONE:
        context["intensities"] = Annotation.INTENSITY_CHOICES
    context["form_choices"] = Attribution.FORM_CHOICES
    return context


def _who_response(request, annotation, **extra):
    """The panel for `annotation`, plus the page's who-said-what data, out of band."""
    html = render_to_string(WHO, who_context(request, annotation, **extra), request=request)
    html += render_to_string(
        "sources/_reader_data.html",
        {"data": reader_data(annotation.article, request.user), "oob": True},
        request=request,
    )
    response = HttpResponse(html)
    # Every POST that answers with the panel has changed something the figures count.
    return announce_change(response) if request.method == "POST" else response


@require_GET
def who(request, pk, annotation_pk):
    if not request.user.has_perm("articles.view_annotation"):
        return _refused(request, "Your role cannot view annotations.", 403)
    return _who_response(request, _annotation(request.user, pk, annotation_pk))


@require_POST
def attribution_create(request, pk):
    claim_id, source_id = parse_id(request.POST.get("claim", "")), parse_id(request.POST.get("source", ""))
    if claim_id is None or source_id is None:
        return _refused(request, "Choose a claim and a source.", 400)
    claim = _annotation(request.user, pk, claim_id)
    if not can_attribute(request.user, claim):
        return _refused(request, "Only the claim's author or a curator can attribute it.", 403)
    # A source the user may not see (another coder's, in a blind batch) is as good as absent.
    source = visible_annotations(request.user, Annotation.all_objects.select_related("label__category"))
    source = source.filter(pk=source_id).first()
    if source is None:
        return _refused(request, "Not attributed: that source annotation does not exist.", 400)
    cue = request.POST.get("cue")
    form = request.POST.get("form") or None
    try:
        link = attribute(claim, source, request.user, cue=cue, form=form)
    except AttributionError as exc:
        return _refused(request, f"Not attributed: {exc}.", 400)
    return _who_response(request, claim, just_linked=link)


def _link(pk, link_uuid):
    try:
        return Attribution.objects.select_related("claim__label__category", "claim__article").get(
            uuid=link_uuid, claim__article_id=pk
        )
    except (Attribution.DoesNotExist, ValueError):
        raise Http404("No such attribution") from None


@require_POST
def attribution_update(request, pk, link_uuid):
    link = _link(pk, link_uuid)
    if not can_attribute(request.user, link.claim):
        return _refused(request, "Only the claim's author or a curator can change its attribution.", 403)
    try:
        update_attribution(link, cue=request.POST.get("cue"), form=request.POST.get("form"))
    except AttributionError as exc:
        return _refused(request, f"Not saved: {exc}.", 400)
    return _who_response(request, link.claim, notice="Attribution saved.")


@require_POST
def attribution_delete(request, pk, link_uuid):
    link = _link(pk, link_uuid)
    if not can_attribute(request.user, link.claim):
        return _refused(request, "Only the claim's author or a curator can change its attribution.", 403)
    remove_attribution(link)
    return _who_response(request, link.claim, notice="Attribution removed.")


def _changeable(request, pk, annotation_pk):
    annotation = _annotation(request.user, pk, annotation_pk)
    if not can_change_annotation(request.user, annotation):
        return annotation, _refused(request, "Only the author or a curator can change this annotation.", 403)
    return annotation, None


@require_POST
def source_identify(request, pk, annotation_pk):
    """Name the entity behind a source span: an existing one (entity) or a new name."""
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    anonymity = request.POST.get("anonymity") or None
    try:
        typed = (request.POST.get("name") or request.POST.get("q") or "").strip()
        if request.POST.get("entity"):
            entity = entity_or_error(request.POST["entity"])
        elif typed and find_by_name(typed):
            entity = find_by_name(typed)  # typed in full rather than picked
        elif typed:
            if not can_add_source(request.user):
                return _refused(request, "Your role cannot add entities to the registry.", 403)
            try:
                entity = create_source(typed, user=request.user, anonymous=anonymity == Annotation.ANONYMOUS)
            except ValueError as exc:
                raise AttributionError(str(exc)) from None
        else:
            entity = None
        identify_source(annotation, entity=entity, anonymity=anonymity)
    except AttributionError as exc:
        return _refused(request, f"Not saved: {exc}.", 400)
    return _who_response(request, annotation, notice="Source saved.")


@require_POST
def tone_update(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    try:
        # A request without target fields (the intensity keys) keeps the target.
        target, text = annotation.tone_target_entity, annotation.tone_target_text
        if "target_entity" in request.POST or "target_text" in request.POST:
            entity_id = request.POST.get("target_entity")
            target = entity_or_error(entity_id) if entity_id else None
            text = "" if target is not None else request.POST.get("target_text", "")
        set_tone(
            annotation,
            intensity=request.POST.get("intensity", annotation.tone_intensity),
            target_entity=target,
            target_text=text,
        )
    except AttributionError as exc:
        return _refused(request, f"Not saved: {exc}.", 400)
    return _who_response(request, annotation, notice="Tone saved.")


@require_POST
def own_voice(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    try:
        set_own_voice(annotation, request.POST.get("own_voice") == "on")
    except AttributionError as exc:
        return _refused(request, f"Not saved: {exc}.", 400)
    return _who_response(request, annotation, notice="Saved.")


@require_GET
def source_suggest(request):
    """Autocomplete over the registry (names and aliases, ranked by use)."""
    if not can_view_sources(request.user):
        return HttpResponse("You may not view the source registry.", status=403)
    query = (request.GET.get("q") or request.GET.get("target_text") or "")[:200]
    article = None
    if (article_id := parse_id(request.GET.get("article", ""))) is not None:
        article = Article.objects.filter(pk=article_id).only("pk").first()
    entities = search_sources(query, user=request.user, article=article)
    rows = [(entity, matched_alias(entity, query)) for entity in entities]
    return render(
        request,
        "sources/_suggestions.html",
        {"rows": rows, "query": query.strip(), "field": request.GET.get("field", "entity")},
    )


@require_GET
def suggestion(request, pk, annotation_pk):
    """The suggested cue and form for linking this claim to a source (for the picker)."""
    claim = _annotation(request.user, pk, annotation_pk)
    source_id = parse_id(request.GET.get("source", ""))
    source = (
        visible_annotations(request.user, Annotation.objects.filter(pk=source_id, article_id=pk)).first()
        if source_id is not None
        else None
    )
    if source is None:
        return HttpResponse("Unknown source.", status=400)
    suggested = suggestion_for(claim, source)
    return HttpResponse(f"{suggested.cue}\n{suggested.form}", content_type="text/plain; charset=utf-8")


@require_GET
def source_list(request):
    if not can_view_sources(request.user):
        return HttpResponse("You may not view the source registry.", status=403)
    query = " ".join(request.GET.get("q", "").split())[:200]
    entities = Source.objects.all()
    if query:
        entities = entities.filter(Q(name__icontains=query) | Q(aliases__icontains=query))
    page = peek_page(entities.order_by("name", "id"), page_number(request.GET.get("page")), PER_PAGE)
    stats = entity_stats([entity.pk for entity in page.object_list], user=request.user)
    rows = [(entity, stats[entity.pk], matched_alias(entity, query)) for entity in page.object_list]
    return render(request, "sources/list.html", {"rows": rows, "page": page, "query": query})


@require_GET
def source_detail(request, source_pk):
    if not can_view_sources(request.user):
        return HttpResponse("You may not view the source registry.", status=403)
    entity = get_object_or_404(Source, pk=source_pk)
    citations = (
        visible_annotations(request.user, Annotation.objects.filter(source_entity=entity))
        .select_related("article", "label")
        .defer("article__body", "article__original")
        .order_by("-article__published", "-article__created_at", "article_id", "start")
    )
    page = peek_page(citations, page_number(request.GET.get("page")), PER_PAGE)
    claims = {}
    # The citations are live; of their links, only those to live claims count (checked
    # here rather than in SQL, so the query starts from these few sources).
    for link in (
        Attribution.objects.filter(source__in=[citation.pk for citation in page.object_list])
        .select_related("claim")
        .order_by("claim__start")
    ):
        if link.claim.deleted_at is None:
            claims.setdefault(link.source_id, []).append(link)
    rows = [(citation, claims.get(citation.pk, [])) for citation in page.object_list]
    stats = entity_stats([entity.pk], user=request.user)[entity.pk]
    return render(
        request, "sources/detail.html", {"entity": entity, "rows": rows, "page": page, "stats": stats}
    )
