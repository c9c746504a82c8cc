"""Content → search documents: the one list both the site index and the staff tool search."""

from __future__ import annotations

import re

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.library import iter_articles
from weiquan.site.context import SiteContext
from weiquan.site.pages import camp_title
from weiquan.content.urls import campaign_src, case_src, guide_src, law_src

_MD_RE = re.compile(r"[#*_>`\[\]]|\(([^)]*\.md[^)]*)\)|\{#[^}]*\}")


def _url(site: SiteContext, src: str, anchor: str = "") -> str:
    return site.urls.url(src) + (f"#{anchor}" if anchor else "")


def _guide_text(site: SiteContext, body: str) -> str:
    def label(m):
        law_name, article, text = m.group(1), m.group(2), m.group(3)
        if text:
            return text
        if article:
            law, art = site.content.resolve_ref(law_name, article)
            return site.cite_label(law, art)
        return f"《{law_name}》"
    return _MD_RE.sub(" ", SHORTCODE_RE.sub(label, body))


def search_docs(site: SiteContext) -> list[dict]:
    c = site.content
    docs: list[dict] = []
    for law in c.laws:
        names = [law.short_name, *law.aliases]
        # an older version of a law says so in its results (its articles share the numbers)
        old = "" if c.current_of(law) is law else f"（{(law.version or law.adopted).year}年版，{law.status}）"
        docs.append({"id": f"law:{law.slug}", "url": _url(site, law_src(law.slug)), "kind": "law",
                     "title": law.title + old, "parent": law.kind, "text": "\n".join(law.history + law.preface),
                     "keywords": names})
        for art in iter_articles(law):
            docs.append({"id": f"article:{law.slug}:{art.anchor}", "kind": "article",
                         "url": _url(site, site.article_src(law, art), art.anchor),
                         "title": f"{law.short_name}{old} {art.number}", "parent": law.short_name + old,
                         "text": "\n".join(art.paragraphs), "keywords": [*names, art.number, *art.topics]})
    for case in c.cases:
        docs.append({"id": f"case:{case.slug}", "url": _url(site, case_src(case.slug)), "kind": "case",
                     "title": case.title, "parent": f"以案释法 · {case.provenance.type}",
                     "text": "\n".join(filter(None, [case.summary, case.facts, case.outcome, case.explanation])),
                     "keywords": list(case.topics), "questions": list(case.questions)})
    for guide in c.guides:
        docs.append({"id": f"guide:{guide.slug}", "url": _url(site, guide_src(guide.slug)), "kind": "guide",
                     "title": guide.title, "parent": "维权指南",
                     "text": "\n".join(filter(None, [guide.meta.summary, _guide_text(site, guide.body)])),
                     "keywords": list(guide.meta.topics), "questions": list(guide.meta.questions),
                     "order": guide.meta.order})
    for st in c.stations:
        r = st.region
        docs.append({"id": f"station:{st.slug}", "url": _url(site, site.station_src(st), st.slug),
                     "kind": "station", "title": st.name,
                     "parent": "".join(filter(None, [r.county, r.township])),
                     "text": "\n".join([st.address, st.hours, *st.services, *(p.number for p in st.phones[1:])]),
                     "keywords": list(filter(None, [r.township, r.county, r.city, r.province, st.kind])),
                     "phone": st.phones[0].number})
    for camp in c.campaigns:
        docs.append({"id": f"campaign:{camp.slug}", "url": _url(site, campaign_src(camp.slug)),
                     "kind": "campaign", "title": camp_title(camp), "parent": camp.theme or "",
                     "text": "\n".join(f"{e.date} {e.activity} {e.place}" for e in camp.events),
                     "keywords": [camp.name, str(camp.year or "")]})
    home = _url(site, "index.md")
    s = c.settings
    for h in s.hotlines:    # 12338, 报警电话 …: a hotline is a result of its own, with its tel: link
        docs.append({"id": f"hotline:{h.number}", "url": home + "#hotlines", "kind": "hotline",
                     "title": h.label, "parent": "求助电话", "text": h.description or "",
                     "keywords": [h.number, "电话", "热线"], "phone": h.number})
    docs.append({"id": "page:site", "url": home, "kind": "page", "title": s.name, "parent": s.region,
                 "text": s.description or "", "keywords": [s.short_name or "", "求助电话", "服务站"]})
    return docs
