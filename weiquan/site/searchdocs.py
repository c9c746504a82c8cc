"""Content → search documents: the one list both the site index and the staff tool search.

Besides laws, articles, cases, guides, stations, campaigns and hotlines, the site's own help
pages are documents with the everyday questions they answer, so that every need lands on a
next step: the 安全浏览 page (hiding a visit, 一键离开) and the station finder (the nearest
station, 妇联, legal aid). Hotlines carry the questions of content/site.yaml (``questions:``).
"""

from __future__ import annotations

import re
from pathlib import Path

from weiquan.content.citations import SHORTCODE_RE
from weiquan.content.library import iter_articles
from weiquan.site.context import SiteContext
from weiquan.site.campaigns import camp_title
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
                     "keywords": names, **({"old": True} if old else {})})
        for art in iter_articles(law):
            docs.append({"id": f"article:{law.slug}:{art.anchor}", "kind": "article",
                         "url": _url(site, site.article_src(law, art), art.anchor),
                         "title": f"{law.short_name}{old} {art.number}", "parent": law.short_name + old,
                         "text": "\n".join(art.paragraphs), "keywords": [*names, art.number, *art.topics],
                         **({"old": True} if old else {})})
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
        doc = {"id": f"hotline:{h.number}", "url": home + "#hotlines", "kind": "hotline",
               "title": h.label, "parent": "求助电话", "text": h.description or "",
               "keywords": [h.number, "电话", "热线"], "phone": h.number}
        if h.questions:
            doc["questions"] = list(h.questions)
        docs.append(doc)
    docs.append({"id": "page:site", "url": home, "kind": "page", "title": s.name, "parent": s.region,
                 "text": s.description or "", "keywords": [s.short_name or "", "求助电话", "服务站"]})
    docs.extend(help_page_docs(site))
    return docs


# The site's own help pages: what people ask that they answer (site features, so written here).
SAFETY_QUESTIONS = [
    "他翻我手机怎么办", "怕他看我手机", "怕老公发现我上这个网站", "别人会不会知道我看过这个网站",
    "怎么删浏览记录", "怎么删记录", "看完怎么清除痕迹", "一键离开怎么用", "怎么快速关掉这个网页",
    "手机被他监控了怎么办", "怎么用无痕模式上网", "偷偷查资料不被发现",
]
FINDER_QUESTIONS = [
    "附近的维权服务站在哪", "离我最近的妇联在哪里", "我们乡有没有维权站", "附近有没有能帮忙的地方",
    "当地妇联的电话和地址", "法律援助中心在哪里", "哪里有庇护所", "找当地的服务站",
]
FINDER_TEXT = ("按省、市、县（区）和乡镇（街道）查找离你最近的妇女维权服务站、家庭暴力投诉站、"
               "庇护中心和法律援助工作站，看地址、接待时间，点电话号码可以直接拨打。紧急情况请拨打 110。")


def _page_text(path: Path) -> tuple[str, str]:
    """(title, plain text) of a Markdown page of content/pages ("" when there is none)."""
    if not path.is_file():
        return "", ""
    text = path.read_text(encoding="utf-8")
    title = ""
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m:
        t = re.search(r"^title:\s*(.+)$", m.group(1), re.M)
        title = t.group(1).strip().strip("\"'") if t else ""
        text = text[m.end():]
    return title, re.sub(r"\s+", " ", _MD_RE.sub(" ", text)).strip()


def help_page_docs(site: SiteContext) -> list[dict]:
    """The 安全浏览 page (content/pages/safety.md, when the site has it) and the station finder."""
    out = []
    title, text = _page_text(Path(site.content.root) / "pages" / "safety.md")
    if title:
        out.append({"id": "page:safety", "url": _url(site, "safety.md"), "kind": "page", "title": title,
                    "parent": "保护自己", "text": text, "questions": list(SAFETY_QUESTIONS),
                    "keywords": ["一键离开", "浏览记录", "无痕模式", "隐私"]})
    if site.content.stations:
        out.append({"id": "page:stations", "url": _url(site, "stations/index.md"), "kind": "page",
                    "title": "找附近的维权服务站", "parent": "维权服务站", "text": FINDER_TEXT,
                    "questions": list(FINDER_QUESTIONS), "keywords": ["妇联", "服务站", "法律援助", "庇护"]})
    return out
