"""The codebook in the admin: labels (colour, hotkey, order, active) and categories."""

import pytest

from articles.models import Category, Label
from articles.spans.annotating import AnnotationError, active_label, delete_annotation

from .admin_helpers import CATEGORIES_URL, LABELS_URL, messages_of, run_action
from .export_helpers import annotate


def label_form(label, **changes):
    data = {
        "category": label.category_id,
        "name": label.name,
        "description": label.description,
        "colour": label.colour,
        "hotkey": label.hotkey,
        "order": label.order,
        "active": "on" if label.active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_it_lists_labels_with_colour_hotkey_and_use(client, curator, sample_article):
    annotate(sample_article, "Pakistani", curator, label="opinion")
    html = client.get(LABELS_URL).content.decode()
    assert 'fill="#e69f00"' in html and "<code>#e69f00</code>" in html
    assert '<td class="field-hotkey">2</td>' in html
    assert '<td class="field-annotation_count">1</td>' in html


def test_it_offers_a_colour_picker(client, curator):
    label = Label.objects.get(name="factual")
    html = client.get(f"{LABELS_URL}{label.pk}/change/").content.decode()
    assert '<input type="color" name="colour" value="#f0e442"' in html


def test_it_saves_a_new_label_and_the_reader_offers_it(client, curator, sample_article):
    claim = Category.objects.get(slug="claim")
    data = {"category": claim.pk, "name": "rumour", "colour": "#123abc", "hotkey": "r", "order": 4}
    response = client.post(f"{LABELS_URL}add/", {**data, "active": "on"})
    assert response.status_code == 302
    label = Label.objects.get(name="rumour")
    assert (label.colour, label.hotkey, label.active) == ("#123abc", "r", True)
    toolbar = client.get(sample_article.get_absolute_url()).content.decode()
    assert f'data-label="{label.pk}"' in toolbar


def test_it_changes_order_and_description(client, curator):
    label = Label.objects.get(name="prediction")
    response = client.post(
        f"{LABELS_URL}{label.pk}/change/", label_form(label, order=0, description="About the future.")
    )
    assert response.status_code == 302
    label.refresh_from_db()
    assert (label.order, label.description) == (0, "About the future.")


def test_it_refuses_a_hotkey_another_label_has(client, curator):
    label = Label.objects.get(name="opinion")
    response = client.post(f"{LABELS_URL}{label.pk}/change/", label_form(label, hotkey="1"))
    assert response.status_code == 200
    assert "Hotkey “1” is already used by Claim: factual." in response.content.decode()
    label.refresh_from_db()
    assert label.hotkey == "2"


def test_it_refuses_a_hotkey_the_reader_uses(client, curator):
    label = Label.objects.get(name="opinion")
    response = client.post(f"{LABELS_URL}{label.pk}/change/", label_form(label, hotkey="J"))
    assert "“J” is one of the reader&#x27;s own keys." in response.content.decode()
    label.refresh_from_db()
    assert label.hotkey == "2"


def test_it_refuses_a_colour_that_is_not_rrggbb(client, curator):
    label = Label.objects.get(name="opinion")
    response = client.post(f"{LABELS_URL}{label.pk}/change/", label_form(label, colour="red"))
    assert response.status_code == 200
    assert "Use a colour like #1f77b4." in response.content.decode()


def test_it_refuses_a_duplicate_name_in_a_category(client, curator):
    label = Label.objects.get(name="opinion")
    response = client.post(f"{LABELS_URL}{label.pk}/change/", label_form(label, name="factual"))
    assert response.status_code == 200
    assert "Label with this Category and Name already exists." in response.content.decode()


def test_it_refuses_to_delete_a_label_in_use_and_says_why(client, curator, sample_article):
    label = Label.objects.get(name="opinion")
    # Also a deleted annotation holds on to its label: it can be restored.
    delete_annotation(annotate(sample_article, "Pakistani", curator, label="opinion"))
    page = client.get(f"{LABELS_URL}{label.pk}/delete/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The label “Claim: opinion” cannot be deleted." in html
    assert "is used by 1 annotation. A label in use cannot be deleted; retire it instead" in html
    response = client.post(f"{LABELS_URL}{label.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert Label.objects.filter(pk=label.pk).exists()


def test_it_refuses_to_bulk_delete_labels_in_use(client, curator, sample_article):
    used, unused = Label.objects.get(name="opinion"), Label.objects.get(name="prediction")
    annotate(sample_article, "Pakistani", curator, label="opinion")
    response = run_action(client, LABELS_URL, "delete_selected", [used, unused], post="yes")
    assert response.status_code == 200
    assert "“Claim: opinion” is used by 1 annotation." in response.content.decode()
    assert Label.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2


def test_it_deletes_a_label_nobody_used(client, curator):
    label = Label.objects.get(name="prediction")
    response = client.post(f"{LABELS_URL}{label.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Label.objects.filter(pk=label.pk).exists()


def test_it_retires_a_label_which_stays_on_old_annotations(client, curator, sample_article):
    label = Label.objects.get(name="opinion")
    annotation = annotate(sample_article, "Pakistani", curator, label="opinion")
    response = run_action(client, LABELS_URL, "retire", [label])
    assert "Retired 1 label." in messages_of(response)
    label.refresh_from_db()
    annotation.refresh_from_db()
    assert label.active is False
    assert annotation.label == label
    assert label not in Label.objects.active()
    with pytest.raises(AnnotationError, match="retired"):
        active_label(label.pk)
    # The reader no longer offers it, but still shows it on the old annotation.
    html = client.get(sample_article.get_absolute_url()).content.decode()
    assert f'class="label-button" data-label="{label.pk}"' not in html
    assert f'class="label-button" data-label="{Label.objects.get(name="factual").pk}"' in html
    assert f'data-id="{annotation.pk}"' in html


def test_it_reactivates_a_retired_label(client, curator):
    label = Label.objects.get(name="opinion")
    run_action(client, LABELS_URL, "retire", [label])
    response = run_action(client, LABELS_URL, "reactivate", [label])
    assert "Reactivated 1 label." in messages_of(response)
    label.refresh_from_db()
    assert label.active is True


def test_it_lists_categories_with_label_counts(client, curator):
    Label.objects.filter(name="opinion").update(active=False)
    html = client.get(CATEGORIES_URL).content.decode()
    assert '<td class="field-label_count">3</td><td class="field-active_label_count">2</td>' in html


def test_it_refuses_to_delete_a_category_that_has_labels(client, curator):
    claim = Category.objects.get(slug="claim")
    response = client.post(f"{CATEGORIES_URL}{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Category.objects.filter(pk=claim.pk).exists()


def test_it_changes_a_category_display_style(client, curator):
    tone = Category.objects.get(slug="tone")
    data = {"name": "Tone", "slug": "tone", "kind": "tone", "display": "underline", "order": 2}
    data |= {"labels-TOTAL_FORMS": 0, "labels-INITIAL_FORMS": 0}
    response = client.post(f"{CATEGORIES_URL}{tone.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    tone.refresh_from_db()
    assert tone.display == "underline"


def test_it_reorders_and_retires_labels_from_the_list(client, curator):
    labels = list(Label.objects.all())
    data = {"form-TOTAL_FORMS": len(labels), "form-INITIAL_FORMS": len(labels), "_save": "Save"}
    for i, label in enumerate(labels):
        data[f"form-{i}-id"] = label.pk
        data[f"form-{i}-order"] = 10 - i if label.name != "opinion" else "first"
        if label.name != "neutral":
            data[f"form-{i}-active"] = "on"
    response = client.post(LABELS_URL, data)
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    data.update({f"form-{i}-order": 10 - i for i in range(len(labels))})
    response = client.post(LABELS_URL, data)
    assert response.status_code == 302
    claim = [label.name for label in Label.objects.filter(category__slug="claim")]
    assert claim == ["prediction", "opinion", "factual"]
    assert not Label.objects.get(name="neutral").active
