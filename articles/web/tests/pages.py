"""What the fixture news pages hold: the story's paragraphs, its metadata, and the rest."""

import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def story_paragraphs(name):
    """Every <p> inside the page's story container, as text (the fixtures mark it up plainly)."""
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    container = {
        "harbour-council": r'<div class="story-body">(.*?)</div>\s*<div class="newsletter',
        "drought-report": r'<div class="article-content">(.*?)</div>\s*<div class="author-bio',
        "minister-interview": r'<section class="article-body">(.*?)</section>',
    }[name]
    body = re.search(container, html, re.S).group(1)
    body = re.sub(
        r"<aside.*?</aside>|<div class=\"(?:ad-slot|adunit|pullquote-promo)\".*?</div>|<figure.*?</figure>",
        "",
        body,
        flags=re.S,
    )
    return [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", body, re.S)]


PAGES = {
    "harbour-council": {
        "title": "Harbour council approves flood barrier after three-year fight",
        "byline": "Morag Lindsay",
        "outlet": "The Coastal Herald",
        "published": "2026-03-14",
        "canonical_url": "https://www.coastalherald.example/news/2026/03/14/harbour-flood-barrier-approved",
        "not_in_body": [
            "We use cookies",
            "Accept all",
            "Sport",
            "Search the Herald",
            "Share this article",
            "Facebook",
            "Comments (214)",
            "Storm surge floods Harbour Street",
            "Advertisement",
            "Get the Herald in your inbox",
            "You might also like",
            "Ferry timetable",
            "SeaDog77",
            "About time.",
            "white elephant",
            "Load more comments",
            "Most read",
            "Seal pup",
            "All rights reserved",
            "Privacy policy",
            "Photograph: Ewan Baird",
            "Topics:",
        ],
    },
    "drought-report": {
        "title": "Reservoirs at lowest level since 1976 as drought spreads east",
        "byline": "Priya Raman, Tom Elwood",
        "outlet": "Valley Tribune",
        "published": "2026-08-02",
        "canonical_url": "https://valleytribune.example/environment/reservoirs-lowest-since-1976",
        "not_in_body": [
            "Your privacy",
            "312 partners",
            "I agree",
            "Log in",
            "Puzzles",
            "Share on Facebook",
            "Copy link",
            "Advertisement",
            "Hosepipe bans explained",
            "environment editor",
            "Follow Priya Raman",
            "More from Environment",
            "Otters return",
            "Join the Discussion",
            "Build more reservoirs",
            "powered by Disqus",
            "Trending",
            "Cyclist dies",
            "Sign up for our newsletter",
            "Fenland Newspapers",
            "Cookie policy",
        ],
    },
    "minister-interview": {
        "title": "Health minister defends waiting-list target: ‘We will hit it’",
        "byline": "Jan Kowalczyk",
        "outlet": "Capital Daily",
        "published": "2026-05-20",
        "canonical_url": "https://capitaldaily.example/politics/2026/05/20/health-minister-waiting-list",
        "not_in_body": [
            "Podcasts",
            "free articles left",
            "Subscribe for",
            "Listen to this article",
            "Save",
            "Photo: Ana Ruiz",
            "Recommended for you",
            "Floods close border",
            "Opera house",
            "reader_412",
            "She said the same thing",
            "not her fault",
            "Comments are moderated",
            "© Capital Daily",
            "Cookie settings",
        ],
    },
}
