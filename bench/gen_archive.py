#!/usr/bin/env python3
"""Deterministic generator of a benchmark archive of saved article pages.

    python3 bench/gen_archive.py --pages 5000 --out DIR [--seed 6] [--jobs N]

Writes N pages into DIR/<site>/<part>/<slug>.html (about 1,000 files per
part folder). The same --pages and --seed always give byte-identical pages,
whatever --jobs is: every page draws from its own RNG, seeded from the seed
and the page number. Python 3 standard library only.

The pages imitate what people save from the web: five site chromes (a news
site with cookie banner, mega menu, ad slots, related box and comments; a
WordPress think tank with sidebar, tag cloud and related posts; a
Medium-like blog whose script state repeats the article; a newsletter with
subscribe boxes and a preload blob; a plain report page with tables and
footnotes), each 30-120 KB with inline scripts and styles. Bodies are
300-1,500 words drawn from a generated vocabulary with a Zipf-like
frequency distribution, with topic words, people and places of the Caucasus,
Central Asia and the Black Sea, numbers and dates. Titles, authors, JSON-LD
and Open Graph metadata vary by site; publication dates spread over
2019-2025. About 4% of pages are Russian, 4% Turkish and 2% German, and
some English pages quote Russian or Turkish words.

On completion it prints one JSON line: pages, bytes, seconds.
"""

import argparse
from array import array
import itertools
import json
import os
import random
import sys
import time
from multiprocessing import Pool

GENERATOR_VERSION = 1
FILES_PER_FOLDER = 1000

# ---------------------------------------------------------------- vocabulary

FUNCTION_WORDS = """the of and to in a is that for on as with by it was from at be this are
which has have not but its will an or their were had been more than also after over into
would they could about between new two while other since through most can them some only
under there when who may what both these those such one three many first last year years
its our we he she his her said says because however where until before against among
during without within each all any very much even still just now then so if do does
""".split()

DOMAIN_WORDS = """pipeline corridor sanctions gas oil railway port ferry transit tariff grain
tanker insurance election parliament ministry border checkpoint remittances migrants exports
imports refinery cable electricity customs logistics container wagon terminal shipping fleet
navy strait convention treaty ceasefire peace negotiations sovereignty investment loan bank
currency inflation budget drought water irrigation cotton gold uranium copper mining
hydropower dam reservoir protest opposition journalist newsroom media censorship court
prosecutor corruption reform government president minister diplomat embassy summit alliance
security energy market price supply demand capacity route freight cargo rail road highway
bridge tunnel airport aviation visa passport diaspora refugees displacement humanitarian aid
donor agreement memorandum consortium contract tender auction license concession field
offshore onshore reserves production output barrels cubic metres tonnes wheat fertiliser
harvest farmers drones missile artillery frontline occupation annexation referendum
constitution amendment coalition party campaign ballot turnout observers monitoring mission
peacekeepers troops base garrison exercise drills blockade embargo smuggling reexport
dualuse components semiconductors machinery vehicles trucks drivers queue delays gauge
bogie transshipment hub warehouse storage depot throughput berth dredging quay crane
investors bonds rating debt deficit subsidy pension wages unemployment labour workforce
migration students universities scholarship language minority identity heritage church
mosque monastery pilgrimage tourism hotels resort climate emissions renewables solar wind
interconnector grid blackout outage winter heating coal nuclear reactor plant turbine
compressor station valve metering flows exporters importers traders brokers shippers
carriers operators regulators inspectors auditors analysts researchers scholars officials
lawmakers deputies governors mayors activists bloggers editors reporters correspondents
broadcaster television radio newspaper outlet platform telegram channel website podcast
interview statement communique declaration resolution veto mandate commission council
committee agency authority inspectorate watchdog ombudsman tribunal arbitration lawsuit
verdict sentence appeal amnesty pardon detention arrest raid investigation inquiry audit
strategy doctrine policy framework roadmap programme initiative project phase stage
expansion upgrade modernisation construction feasibility study financing guarantee
insurer premium reinsurance underwriters lloyds war risk clause vessel vessels crew
cargoes shipment shipments voyage convoy corridor corridors pipelines ports railways
""".split()

COLLOCATIONS = [
    "middle corridor", "black sea", "southern gas corridor", "energy security",
    "shadow fleet", "foreign influence law", "war risk insurance", "grain deal",
    "trans caspian pipeline", "free trade zone", "peace treaty", "border crossing",
    "price cap", "parallel imports", "dual use goods", "container traffic",
    "deep sea port", "customs union", "transit fees", "gas storage",
    "opposition leader", "state media", "central bank", "exchange rate",
    "freight rates", "rail freight", "oil exports", "gas exports",
]

FIRST_NAMES = """Nino Giorgi Levan Tamar Ana Davit Irakli Mariam Elene Luka Aram Anahit
Tigran Lusine Armen Gohar Narek Ani Elnur Leyla Rashad Aygun Farid Gunel Orkhan Nigar
Murad Sevinj Aidos Aigerim Nursultan Dana Yerlan Asel Timur Madina Rustam Dilnoza
Bakhtiyor Gulnara Azamat Aizhan Bermet Nurlan Firuza Parviz Zarina Shirin Merdan Ogulbike
Oksana Taras Iryna Andriy Olena Dmytro Mehmet Ayse Emre Zeynep Burak Elif Ioana Mihai
Elena Radu Daria Ivan Sergei Anna Pavel Olga Thomas Sarah James Laura Michael Emma
""".split()

SURNAMES = """Aliyev Mammadov Huseynov Hasanov Guliyev Ismayilova Karimova Kapanadze
Beridze Gelashvili Lomidze Chkheidze Tsereteli Japaridze Petrosyan Grigoryan Harutyunyan
Sargsyan Hakobyan Avetisyan Nazarbayev Tokayev Suleimenov Abenov Nurpeisova Zhaksybekov
Karimov Rakhimov Yusupov Tashkentova Usmonov Jeenbekov Atambayev Sadyrov Rahmon Sharipov
Berdimuhamedov Orazov Melnyk Shevchenko Kovalenko Bondarenko Tkachenko Yilmaz Kaya Demir
Sahin Celik Ozturk Arslan Popescu Ionescu Dimitrov Georgiev Ivanov Petrova Sokolov Volkov
Smith Walker Fischer Weber Dubois Rossi Novak Horvath
""".split()

PLACES = """Baku Tbilisi Yerevan Batumi Poti Anaklia Kutaisi Gyumri Meghri Syunik Lachin Shusha
Ganja Sumgait Nakhchivan Aktau Kuryk Atyrau Almaty Astana Shymkent Khorgos Altynkol
Tashkent Samarkand Bukhara Navoi Termez Karakalpakstan Nukus Bishkek Osh Naryn Dushanbe
Khujand Ashgabat Turkmenbashi Mary Odesa Mykolaiv Izmail Constanta Varna Burgas
Novorossiysk Sochi Sukhumi Kars Trabzon Samsun Istanbul Ankara Mersin Ceyhan Kerch
Crimea Donbas Abkhazia Ossetia Karabakh Caspian Danube Bosphorus Dardanelles Kazakhstan
Uzbekistan Kyrgyzstan Tajikistan Turkmenistan Azerbaijan Georgia Armenia Turkey Russia
Ukraine Romania Bulgaria Moldova Iran China Europe Brussels Moscow Beijing Washington
""".split()

TOPIC_WORDS = """pipeline corridor sanctions railway port ferry transit tariff grain tanker
insurance election parliament border remittances exports refinery cable electricity customs
logistics container shipping fleet strait treaty ceasefire investment currency inflation
drought water cotton gold uranium hydropower protest journalist media censorship court
corruption reform summit security energy freight bridge visa diaspora refugees agreement
consortium offshore wheat drones occupation referendum constitution coalition peacekeepers
blockade smuggling semiconductors warehouse throughput bonds debt migration language
tourism climate renewables interconnector blackout nuclear compressor""".split()

RU_WORDS = """и в не на что с по это как для из о к от за газ нефть трубопровод коридор
санкции граница порт выборы парламент министерство экспорт импорт транзит зерно танкер
страхование переговоры соглашение правительство президент министр безопасность энергия
рынок цена поставки железная дорога паром мост визы мигранты переводы журналист цензура
суд коррупция реформа протест оппозиция инвестиции валюта инфляция бюджет вода засуха
хлопок золото уран гидроэнергетика блокада контрабанда склад логистика контейнер флот
пролив договор перемирие мир суверенитет кредит банк""".split()

TR_WORDS = """ve bir bu için ile da de olarak daha çok gibi kadar sonra önce ancak şu her
boru hattı koridor yaptırım doğalgaz petrol demiryolu liman sınır seçim meclis bakanlık
ihracat ithalat transit tahıl tanker sigorta müzakere anlaşma hükümet cumhurbaşkanı bakan
güvenlik enerji piyasa fiyat tedarik köprü vize göçmen gazeteci sansür mahkeme yolsuzluk
reform protesto muhalefet yatırım döviz enflasyon bütçe su kuraklık pamuk altın barış
egemenlik kredi banka Türkiye Azerbaycan Gürcistan Ermenistan Kazakistan Özbekistan
Karadeniz Hazar İstanbul Bakü Tiflis Şuşa Gəncə Əliyev İlham Çelik Öztürk Ağrı Iğdır
""".split()

DE_WORDS = """der die das und in zu den von mit sich des auf für ist im dem nicht ein eine
als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie
Pipeline Korridor Sanktionen Gasleitung Erdöl Eisenbahn Hafen Grenze Wahl Parlament
Ministerium Ausfuhr Einfuhr Transit Getreide Versicherung Verhandlungen Abkommen Regierung
Sicherheit Energie Markt Preis Lieferungen Brücke Migranten Journalist Gericht Korruption
Reform Opposition Investitionen Währung Inflation Haushalt Wasser Dürre Baumwolle Gold
""".split()

SYLLABLES = {
    "en": ("b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr st sp sl pl cl bl "
           "sh ch th").split(),
    "ru": "б в г д ж з к л м н п р с т ф х ц ч ш щ бр вр др кр пр тр ст ск зв".split(),
    "tr": "b c ç d f g ğ h j k l m n p r s ş t v y z".split(),
    "de": "b d f g h k l m n p r s t w z sch st sp pf br gr kr tr".split(),
}
VOWELS = {
    "en": "a e i o u a e i o ea ou ai".split(),
    "ru": "а е и о у ы я ю а о е".split(),
    "tr": "a e ı i o ö u ü a e".split(),
    "de": "a e i o u ä ö ü ei au ie".split(),
}
SUFFIXES = {
    "en": ["", "", "", "tion", "ment", "ity", "al", "ing", "ed", "er", "ism", "ous", "ive"],
    "ru": ["", "", "ов", "ский", "ная", "ение", "ость", "ать", "ик"],
    "tr": ["", "", "lar", "ler", "lık", "lik", "cı", "ci", "sız", "daş"],
    "de": ["", "", "ung", "heit", "keit", "lich", "isch", "en", "er"],
}

LANG_SYNTHETIC = {"en": 60000, "ru": 6000, "tr": 6000, "de": 4000}


def synthetic_words(rng, lang, count, taken):
    """Pronounceable made-up words in the script and shape of `lang`."""
    cons, vows, sufs = SYLLABLES[lang], VOWELS[lang], SUFFIXES[lang]
    out = []
    while len(out) < count:
        n = rng.choice((1, 2, 2, 2, 3, 3, 4))
        w = "".join(rng.choice(cons) + rng.choice(vows) for _ in range(n))
        w += rng.choice(sufs)
        if len(w) > 2 and w not in taken:
            taken.add(w)
            out.append(w)
    return out


def zipf_cum_weights(n, s=1.05, q=2.7):
    """Cumulative Zipf-Mandelbrot weights for ranks 1..n."""
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(1, n + 1)))


TABLE_BITS = 22


class Vocab:
    """A ranked vocabulary with Zipf-like frequencies. Words are drawn
    through a table of 2**TABLE_BITS slots, each word holding slots in
    proportion to its weight (at least one), which is many times faster
    than bisecting the cumulative weights."""

    def __init__(self, words):
        self.words = words
        cum = zipf_cum_weights(len(words))
        size = 1 << TABLE_BITS
        scale = (size - len(words)) / cum[-1]
        table, prev = [], 0
        for i, (w, c) in enumerate(zip(words, cum)):
            end = int(c * scale) + i + 1
            table.extend([w] * (end - prev))
            prev = end
        table.extend([words[-1]] * (size - len(table)))
        del table[size:]
        self.table = table

    def draw(self, rng, k):
        shift = 32 - TABLE_BITS
        table = self.table
        return [table[x >> shift] for x in array("I", rng.randbytes(4 * k))]


def build_vocab(seed):
    rng = random.Random(f"vocab-{seed}")
    vocabs = {}
    taken = set()
    # English: function words on top, domain words spread over ranks
    # 60-2,000, made-up words in the long tail.
    func = list(dict.fromkeys(FUNCTION_WORDS))
    dom = [w for w in dict.fromkeys(DOMAIN_WORDS) if w not in func]
    taken.update(func, dom, (w.lower() for w in PLACES + SURNAMES + FIRST_NAMES))
    synth = synthetic_words(rng, "en", LANG_SYNTHETIC["en"], taken)
    ranked = list(func)
    tail = synth[:]
    for w in dom:
        pos = rng.randint(0, 2000)
        tail.insert(pos, w)
    ranked += tail
    vocabs["en"] = Vocab(ranked)
    for lang, base in (("ru", RU_WORDS), ("tr", TR_WORDS), ("de", DE_WORDS)):
        base = list(dict.fromkeys(base))
        taken.update(base)
        vocabs[lang] = Vocab(base + synthetic_words(rng, lang, LANG_SYNTHETIC[lang], taken))
    return vocabs


# --------------------------------------------------------------------- sites

SITES = [
    # slug, name, chrome, share of pages, domain, utc offset
    ("eurasia-wire", "Eurasia Wire", "news", 0.16, "www.eurasiawire.news", "+04:00"),
    ("caspian-herald", "Caspian Herald", "news", 0.12, "caspianherald.com", "+05:00"),
    ("black-sea-daily", "Black Sea Daily", "news", 0.10, "blackseadaily.eu", "+03:00"),
    ("bspi", "Black Sea Policy Institute", "wp", 0.10, "bspi.org", "+02:00"),
    ("steppe-institute", "Steppe Institute", "wp", 0.09, "steppeinstitute.org", "+06:00"),
    ("caucasus-policy-forum", "Caucasus Policy Forum", "wp", 0.08, "cpf.ge", "+04:00"),
    ("medium", "Medium", "medium", 0.13, "medium.com", "+00:00"),
    ("corridor-letters", "Corridor Letters", "newsletter", 0.08, "corridorletters.substack.com", "+00:00"),
    ("silk-road-brief", "Silk Road Brief", "newsletter", 0.06, "silkroadbrief.substack.com", "+00:00"),
    ("reports", "Regional Reports Library", "report", 0.08, "reports.example.org", "+00:00"),
]

SIZE_RANGE_KB = {
    "news": (55, 120),
    "wp": (40, 110),
    "medium": (45, 120),
    "newsletter": (35, 100),
    "report": (30, 70),
}

JS_FRAGMENTS = [
    "function({a}){{var {b}={c}&&{c}.__esModule?{c}:{{default:{c}}};return {b}.default}}",
    "var {a}=document.querySelectorAll('[data-{b}]');for(var i=0;i<{a}.length;i++){{{a}[i].addEventListener('click',{c})}}",
    "{a}.prototype.{b}=function(e,t){{if(!e)throw new Error('{c} is required');return this._{b}(e,t||{n})}};",
    "window.{a}=window.{a}||[];window.{a}.push({{event:'{b}',value:{n},label:'{c}'}});",
    "try{{localStorage.setItem('{a}_{b}',JSON.stringify({{t:{n},v:'{c}'}}))}}catch(e){{}}",
    "!function(e){{var t={{}};function n(r){{if(t[r])return t[r].exports;var o=t[r]={{i:r,l:!1,exports:{{}}}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}}n.m=e,n.c=t,n.d=function(e,t,r){{n.o(e,t)||Object.defineProperty(e,t,{{enumerable:!0,get:r}})}};n({n})}}([]);",
    "googletag.cmd.push(function(){{googletag.defineSlot('/{n}/{a}/{b}',[[300,250],[336,280]],'div-gpt-{c}').addService(googletag.pubads())}});",
    "\"{a}\":{{\"id\":{n},\"slug\":\"{b}-{c}\",\"enabled\":true,\"weight\":0.{n}}},",
]

CSS_FRAGMENTS = [
    ".{a}{{display:flex;align-items:center;gap:{n}px;padding:{n}px {m}px}}",
    ".{a} .{b}{{font:{m}px/1.{n} var(--s);color:#{h};margin:0 0 {n}px}}",
    "@media (min-width:{w}px){{.{a}{{grid-template-columns:repeat({m},1fr)}}.{b}{{display:none}}}}",
    ".{a}:hover,.{a}:focus-visible{{background:#{h};outline:2px solid #{h}}}",
    ".{a}__{b}--{c}{{border-bottom:1px solid #{h};transition:opacity .{n}s ease}}",
]


def _ident_pool():
    rng = random.Random("identifiers")
    return [rng.choice("abcdefghijklmnopqrstuvwxyz") + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(rng.randint(1, 9)))
        for _ in range(1 << 13)]


IDENTS = _ident_pool()


def ident(rng):
    """A short made-up identifier (class name, URL part)."""
    return IDENTS[rng.getrandbits(13)]


def filler_pool(rng, fragments, size):
    parts, total = [], 0
    while total < size:
        frag = rng.choice(fragments).format(
            a=ident(rng), b=ident(rng), c=ident(rng), n=rng.randint(1, 9999),
            m=rng.randint(2, 48), h="%06x" % rng.getrandbits(24), w=rng.choice((480, 768, 1024, 1280)))
        parts.append(frag)
        total += len(frag)
    return "".join(parts)


class Site:
    def __init__(self, seed, slug, name, chrome, share, domain, tz):
        self.slug, self.name, self.chrome, self.share = slug, name, chrome, share
        self.domain, self.tz = domain, tz
        rng = random.Random(f"site-{seed}-{slug}")
        self.js_pool = filler_pool(rng, JS_FRAGMENTS, 260_000)
        self.css = filler_pool(rng, CSS_FRAGMENTS, rng.randint(6_000, 18_000))
        self.authors = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(40)]
        self.sections = rng.sample(
            ["Energy", "Politics", "Security", "Economy", "Transport", "Media", "Society",
             "Climate", "Diplomacy", "Trade", "Analysis", "Opinion", "Reports"], 7)
        nav = []
        for s in self.sections:
            subs = "".join(
                f'<li><a href="/{s.lower()}/{ident(rng)}/">{rng.choice(PLACES)}</a></li>'
                for _ in range(rng.randint(4, 9)))
            nav.append(f'<li class="menu-item"><a href="/{s.lower()}/">{s}</a>'
                       f'<ul class="sub-menu">{subs}</ul></li>')
        self.nav = "".join(nav)
        self.footer_links = "".join(
            f'<li><a href="/{ident(rng)}/">{w.title()}</a></li>'
            for w in ["about us", "contact", "privacy policy", "terms of use", "careers",
                      "advertise", "corrections", "ethics", "rss", "archive", "donate",
                      "newsletters", "podcasts", "events", "support"])


def build_sites(seed):
    return [Site(seed, *s) for s in SITES]


# --------------------------------------------------------------------- pages

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

START = 1546300800  # 2019-01-01T00:00:00Z
END = 1767225599    # 2025-12-31T23:59:59Z


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def iso(ts, tz):
    sign = 1 if tz[0] == "+" else -1
    off = sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    t = time.gmtime(ts + off)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + tz


def human_date(ts):
    t = time.gmtime(ts)
    return f"{MONTHS[t.tm_mon - 1]} {t.tm_mday}, {t.tm_year}"


def number_phrase(rng):
    k = rng.random()
    if k < 0.2:
        return f"{rng.randint(2, 98)} percent"
    if k < 0.35:
        return f"${rng.randint(1, 40)}.{rng.randint(0, 9)} billion"
    if k < 0.5:
        return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d} tonnes"
    if k < 0.6:
        return f"{rng.randint(10, 2500)} kilometres"
    if k < 0.75:
        return f"in {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"
    if k < 0.85:
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2018, 2025)}"
    return f"{rng.randint(1, 60)} million cubic metres"


class Writer:
    """Makes the text of one page from the shared vocabularies."""

    def __init__(self, vocabs):
        self.vocabs = vocabs

    def person(self, rng):
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"

    def title(self, rng, lang, topics, places):
        t1, t2 = topics[0], topics[1 % len(topics)]
        p = places[0]
        if lang != "en":
            words = self.vocabs[lang].draw(rng, rng.randint(5, 9))
            words.insert(rng.randint(0, len(words)), p)
            s = " ".join(words)
            return s[0].upper() + s[1:]
        pattern = rng.choice([
            "{P} bets on the {t1} as {t2} talks stall",
            "Why the {c} matters for {P}",
            "{N} and the politics of {t1} in {P}",
            "{T1} in {P}: what to watch in {y}",
            "Can {P} afford a new {t1}?",
            "The {t1} question: {P}, {P2} and the {c}",
            "{P} after the {t2}: a {t1} reckoning",
            "Inside the {t1} deal between {P} and {P2}",
            "How {P} learned to live with {t2}",
            "{T1}, {t2} and the limits of {P}'s ambitions",
        ])
        return pattern.format(
            P=p, P2=places[-1], t1=t1, t2=t2, T1=t1.capitalize(), c=rng.choice(COLLOCATIONS),
            N=self.person(rng), y=rng.randint(2019, 2026))

    def paragraphs(self, rng, lang, n_words, topics, places, people):
        """Body paragraphs (list of plain-text strings) of about n_words words."""
        vocab = self.vocabs[lang]
        words = vocab.draw(rng, n_words)
        rand = rng.random
        mix = None
        if lang == "en" and rand() < 0.2:
            mix = self.vocabs[rng.choice(("ru", "tr"))]
        for i in range(n_words):
            r = rand()
            if r < 0.035:
                words[i] = rng.choice(topics)
            elif r < 0.05:
                words[i] = rng.choice(places)
            elif r < 0.058:
                words[i] = rng.choice(people)
            elif r < 0.064:
                words[i] = rng.choice(COLLOCATIONS)
            elif r < 0.069:
                words[i] = number_phrase(rng)
            elif r < 0.071:
                words[i] = rng.choice(PLACES)
            elif mix is not None and r < 0.083:
                words[i] = mix.words[min(int(rng.paretovariate(1.0)), len(mix.words) - 1)]
        paras, sent, para = [], [], []
        i = 0
        while i < n_words:
            k = rng.randint(8, 28)
            chunk = words[i:i + k]
            i += k
            if len(chunk) > 6 and rand() < 0.4:
                chunk[rng.randint(2, len(chunk) - 3)] += ","
            s = " ".join(chunk)
            para.append(s[0].upper() + s[1:] + rng.choice(".......?;"))
            if len(para) >= rng.randint(3, 6):
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        return paras


def padding(rng, site, size):
    if size <= 0:
        return ""
    start = rng.randint(0, len(site.js_pool) - min(size, len(site.js_pool) - 1) - 1)
    chunks, need = [], size
    while need > 0:
        piece = site.js_pool[start:start + need]
        chunks.append(piece)
        need -= len(piece)
        start = 0
    return "".join(chunks)


def json_ld(site, art):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if site.chrome == "news" else "Article",
        "headline": art["title"],
        "description": art["description"],
        "datePublished": art["published_iso"],
        "dateModified": art["modified_iso"],
        "author": [{"@type": "Person", "name": a} for a in art["authors"]],
        "publisher": {"@type": "Organization", "name": site.name,
                      "logo": {"@type": "ImageObject", "url": f"https://{site.domain}/logo.png"}},
        "mainEntityOfPage": art["url"],
        "inLanguage": art["lang"],
        "keywords": art["topics"],
    }
    return '<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False) + "</script>"


def head(site, art, rng, extra=""):
    t, d = esc(art["title"]), esc(art["description"])
    metas = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{t} | {esc(site.name)}</title>",
        f'<meta name="description" content="{d}">',
        f'<link rel="canonical" href="{art["url"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(site.name)}">',
        f'<meta property="og:title" content="{t}">',
        f'<meta property="og:description" content="{d}">',
        f'<meta property="og:url" content="{art["url"]}">',
        f'<meta property="og:image" content="https://cdn.{site.domain}/img/{art["id"]}-1200x630.jpg">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]
    if site.chrome in ("news", "wp"):
        metas.append(f'<meta property="article:published_time" content="{art["published_iso"]}">')
        metas.append(f'<meta property="article:modified_time" content="{art["modified_iso"]}">')
        metas.append(f'<meta name="author" content="{esc(", ".join(art["authors"]))}">')
        for tag in art["topics"]:
            metas.append(f'<meta property="article:tag" content="{esc(tag)}">')
    if site.chrome != "report" or rng.random() < 0.5:
        metas.append(json_ld(site, art))
    metas.append(f"<style>{site.css}</style>")
    metas.append(extra)
    return "\n".join(metas)


def body_html(paras, rng, art, figure=True):
    out = []
    for i, p in enumerate(paras):
        if i and i % 5 == 0 and rng.random() < 0.5:
            out.append(f"<h2>{esc(' '.join(p.split()[:rng.randint(3, 7)]).rstrip('.,;?'))}</h2>")
        if i == 2 and figure:
            out.append(
                f'<figure class="wp-block-image"><img src="/img/{art["id"]}-{i}.jpg" alt="">'
                f"<figcaption>{esc(art['places'][0])}, {human_date(art['published'])}. "
                f"Photo: {esc(art['authors'][0])}</figcaption></figure>")
        if i == 4 and rng.random() < 0.3:
            out.append(f"<blockquote><p>{esc(p[:rng.randint(60, 200)])}</p></blockquote>")
        text = esc(p)
        if rng.random() < 0.25:
            w = text.split(" ")
            j = rng.randrange(len(w))
            w[j] = f'<a href="https://{rng.choice(SITES)[4]}/{ident(rng)}/">{w[j]}</a>'
            text = " ".join(w)
        out.append(f"<p>{text}</p>")
    return "\n".join(out)


def related_list(writer, rng, site, lang, n, cls):
    items = []
    for _ in range(n):
        topics = rng.sample(TOPIC_WORDS, 2)
        places = rng.sample(PLACES, 2)
        t = esc(writer.title(rng, lang, topics, places))
        items.append(f'<li class="{cls}__item"><a href="https://{site.domain}/{ident(rng)}/">'
                     f'<img src="/thumb/{ident(rng)}.jpg" alt="" loading="lazy">'
                     f"<span>{t}</span></a></li>")
    return "".join(items)


def comments(writer, rng, lang, n, base_ts):
    out = []
    vocab = writer.vocabs[lang]
    for k in range(n):
        words = vocab.draw(rng, rng.randint(12, 80))
        s = " ".join(words)
        ts = base_ts + rng.randint(600, 86400 * 20)
        out.append(
            f'<li class="comment" id="comment-{rng.randint(10000, 999999)}">'
            f'<div class="comment-author vcard"><img class="avatar" src="/av/{k}.png" alt="">'
            f'<b class="fn">{esc(writer.person(rng))}</b></div>'
            f'<div class="comment-metadata"><time datetime="{iso(ts, "+00:00")}">{human_date(ts)}</time></div>'
            f'<div class="comment-content"><p>{esc(s[0].upper() + s[1:])}.</p></div>'
            f'<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></li>')
    return "".join(out)


def page_news(w, rng, site, art, paras):
    cookie = (
        '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Cookie consent">'
        "<p>We and our 842 partners store and access information on your device, such as cookies, "
        "and process personal data such as unique identifiers and browsing data for personalised "
        "advertising and content, advertising and content measurement, audience research and "
        "services development. With your permission we and our partners may use precise "
        "geolocation data and identification through device scanning.</p>"
        '<button class="cookie-accept">Accept all</button><button class="cookie-reject">Reject</button>'
        '<a href="/privacy/">Manage preferences</a></div>')
    ad = lambda slot: (f'<div class="ad-slot ad-{slot}" id="div-gpt-{slot}-{rng.randint(1, 99)}">'
                       f"<script>googletag.cmd.push(function(){{googletag.display('div-gpt-{slot}')}});</script></div>")
    ticker = "".join(f"<li><a href='/{ident(rng)}/'>{esc(w.title(rng, 'en', rng.sample(TOPIC_WORDS, 2), rng.sample(PLACES, 2)))}</a></li>"
                     for _ in range(6))
    n_comments = rng.randint(0, 40)
    bhtml = body_html(paras, rng, art)
    parts = bhtml.split("\n")
    mid = len(parts) // 2
    bhtml = "\n".join(parts[:mid] + [ad("inarticle")] + parts[mid:])
    return f"""<header class="site-header"><div class="masthead"><a class="logo" href="/">{esc(site.name)}</a>
<form class="search-form" action="/search"><input name="q" placeholder="Search"></form></div>
<nav class="main-nav" aria-label="Main"><ul class="menu">{site.nav}</ul></nav>
<div class="breaking-ticker"><span>Latest</span><ul>{ticker}</ul></div></header>
{ad("leaderboard")}
<main id="content"><article class="story">
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/{art['section'].lower()}/">{art['section']}</a></div>
<h1 class="story__headline">{esc(art['title'])}</h1>
<p class="story__standfirst">{esc(art['description'])}</p>
<div class="byline">By {", ".join(f'<a rel="author" href="/author/{ident(rng)}/">{esc(a)}</a>' for a in art['authors'])}
<time datetime="{art['published_iso']}">{human_date(art['published'])}</time></div>
<div class="share-bar"><a href="#">Facebook</a><a href="#">X</a><a href="#">Telegram</a><a href="#">Email</a></div>
<div class="story__body">
{bhtml}
</div>
<div class="tags">{"".join(f'<a href="/tag/{t}/">{t}</a>' for t in art['topics'])}</div>
</article>
<aside class="related" aria-label="Related"><h3>Related stories</h3><ul>{related_list(w, rng, site, 'en', rng.randint(6, 10), 'related')}</ul></aside>
{ad("mpu")}
<section class="newsletter-signup"><h3>Get the morning briefing</h3><form><input type="email" placeholder="Email"><button>Sign up</button></form></section>
<section id="comments" class="comments-area"><h3>{n_comments} comments</h3><ol class="comment-list">{comments(w, rng, art['lang'], n_comments, art['published'])}</ol></section>
</main>
<footer class="site-footer"><ul>{site.footer_links}</ul><p>© {time.gmtime(art['published']).tm_year} {esc(site.name)}. All rights reserved.</p></footer>
{cookie}"""


def page_wp(w, rng, site, art, paras):
    tags = "".join(
        f'<a href="/tag/{t}/" class="tag-cloud-link" style="font-size:{rng.randint(8, 22)}pt">{t}</a>'
        for t in rng.sample(TOPIC_WORDS, rng.randint(30, 60)))
    recent = "".join(f'<li><a href="/{ident(rng)}/">{esc(w.title(rng, "en", rng.sample(TOPIC_WORDS, 2), rng.sample(PLACES, 2)))}</a></li>'
                     for _ in range(8))
    archives = "".join(f'<li><a href="/{y}/{m:02d}/">{MONTHS[m - 1]} {y}</a></li>'
                       for y in range(2025, 2018, -1) for m in range(12, 0, -3))
    return f"""<div id="page" class="site">
<header id="masthead" class="site-header" role="banner"><p class="site-title"><a href="/">{esc(site.name)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{site.nav}</ul></nav></header>
<div id="content" class="site-content content-with-sidebar">
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{art['num']}" class="post-{art['num']} post type-post status-publish format-standard hentry">
<header class="entry-header"><h1 class="entry-title">{esc(art['title'])}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{art['published_iso']}">{human_date(art['published'])}</time></span>
<span class="byline"> by {", ".join(f'<span class="author vcard"><a class="url fn n" href="/author/{ident(rng)}/">{esc(a)}</a></span>' for a in art['authors'])}</span></div></header>
<div class="entry-content">
{body_html(paras, rng, art)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Twitter</a></li><li><a href="#">LinkedIn</a></li><li><a href="#">Print</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3><ul>{related_list(w, rng, site, 'en', 3, 'jp-relatedposts-post')}</ul></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/{art['section'].lower()}/">{art['section']}</a></span>
<span class="tags-links">Tagged {", ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in art['topics'])}</span></footer>
</article>
<nav class="navigation post-navigation"><a href="/{ident(rng)}/" rel="prev">Previous post</a><a href="/{ident(rng)}/" rel="next">Next post</a></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>
</main></div>
<aside id="secondary" class="widget-area sidebar" role="complementary">
<section class="widget widget_search"><form role="search"><input type="search" name="s"></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{tags}</div></section>
<section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archives}</ul></section>
</aside></div>
<footer id="colophon" class="site-footer"><ul>{site.footer_links}</ul><div class="site-info">Proudly powered by WordPress</div></footer></div>
<script>window._wpemojiSettings={{"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/","ext":".png","source":{{"concatemoji":"https:\\/\\/{site.domain}\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver=6.5"}}}};</script>"""


def page_medium(w, rng, site, art, paras):
    cls = lambda: " ".join(ident(rng)[:2] for _ in range(rng.randint(3, 8)))
    body = "\n".join(
        f'<p id="{"%04x" % rng.getrandbits(16)}" class="pw-post-body-paragraph {cls()}" data-selectable-paragraph="">{esc(p)}</p>'
        for p in paras)
    state = {
        f"Post:{art['id']}": {"title": art["title"], "firstPublishedAt": art["published"] * 1000,
                              "creator": {"__ref": f"User:{ident(rng)}"}, "clapCount": rng.randint(0, 5000),
                              "content": {"bodyModel": {"paragraphs": [{"type": "P", "text": p} for p in paras]}}},
    }
    return f"""<div id="root"><div class="a b c"><div class="{cls()}" role="banner"><a href="/" aria-label="Homepage">Medium</a>
<div class="{cls()}"><a href="/m/signin">Sign in</a><a href="/m/signup">Get started</a></div></div>
<article><div class="{cls()}"><section>
<h1 class="pw-post-title {cls()}" data-testid="storyTitle">{esc(art['title'])}</h1>
<div class="{cls()}"><div class="{cls()}"><a href="/@{ident(rng)}" rel="noopener follow">{esc(art['authors'][0])}</a>
<span class="{cls()}"><span data-testid="storyReadTime">{max(1, len(" ".join(paras).split()) // 230)} min read</span> · <span data-testid="storyPublishDate">{human_date(art['published'])}</span></span></div></div>
<div class="{cls()}" data-testid="headerClapButton"><button aria-label="clap">{rng.randint(1, 900)}</button></div>
{body}
</section></div></article>
<div class="{cls()}"><h2>More from {esc(art['authors'][0])}</h2><ul>{related_list(w, rng, site, art['lang'], 4, 'more')}</ul></div>
<div class="{cls()}"><h2>Recommended from Medium</h2><ul>{related_list(w, rng, site, 'en', 6, 'recommended')}</ul></div>
<div class="{cls()}"><a href="/about">About</a><a href="/help">Help</a><a href="/terms">Terms</a><a href="/privacy">Privacy</a></div>
</div></div>
<script>window.__APOLLO_STATE__ = {json.dumps(state, ensure_ascii=False)}</script>"""


def page_newsletter(w, rng, site, art, paras):
    sub = lambda: (f'<div class="subscription-widget-wrap"><div class="subscription-widget">'
                   f"<p>{esc(site.name)} is a reader-supported publication. To receive new posts and support my work, "
                   f'consider becoming a free or paid subscriber.</p><form class="subscribe-form"><input type="email" '
                   f'placeholder="Type your email…"><button>Subscribe</button></form></div></div>')
    bhtml = body_html(paras, rng, art, figure=rng.random() < 0.5).split("\n")
    mid = len(bhtml) // 2
    inner = "\n".join(bhtml[:mid] + [sub()] + bhtml[mid:])
    preload = {"post": {"id": art["num"], "title": art["title"], "post_date": art["published_iso"],
                        "publishedBylines": [{"name": a} for a in art["authors"]],
                        "body_html": "".join(f"<p>{p}</p>" for p in paras[: max(1, len(paras) // 3)])},
               "pub": {"name": site.name, "subdomain": site.slug}}
    return f"""<div id="entry"><div class="main-menu"><a href="/">{esc(site.name)}</a><a href="/archive">Archive</a><a href="/about">About</a>
<button class="subscribe-btn">Subscribe</button><a href="/account/login">Sign in</a></div>
<div class="container"><div class="single-post"><article class="typography newsletter-post post">
<div class="post-header"><h1 class="post-title">{esc(art['title'])}</h1><h3 class="subtitle">{esc(art['description'])}</h3>
<div class="post-meta"><a class="author" href="/p/{ident(rng)}">{esc(art['authors'][0])}</a><div class="post-date" title="{art['published_iso']}">{human_date(art['published'])}</div></div></div>
{sub()}
<div class="available-content"><div class="body markup" dir="auto">
{inner}
</div></div>
{sub()}
<div class="post-footer"><div class="like-button-container"><button>{rng.randint(3, 400)} likes</button></div><div class="share-dialog"><a href="#">Share</a></div></div>
</article>
<div class="post-end-cta"><h4>Discussion about this post</h4><div class="comments-page">{comments(w, rng, art['lang'], rng.randint(0, 12), art['published'])}</div></div>
<div class="recommendations"><h4>Ready for more?</h4>{sub()}</div></div></div>
<div class="footer-wrap"><div class="footer">© {time.gmtime(art['published']).tm_year} {esc(art['authors'][0])} · <a href="/privacy">Privacy</a> · <a href="/tos">Terms</a></div></div></div>
<script>window._preloads = JSON.parse({json.dumps(json.dumps(preload, ensure_ascii=False), ensure_ascii=False)})</script>"""


def page_report(w, rng, site, art, paras):
    toc = "".join(f'<li><a href="#s{i}">Section {i + 1}</a></li>' for i in range(max(1, len(paras) // 4)))
    rows = "".join(
        f"<tr><td>{rng.choice(PLACES)}</td>" + "".join(f"<td>{rng.randint(1, 9999):,}</td>" for _ in range(5)) + "</tr>"
        for _ in range(rng.randint(10, 60)))
    notes = "".join(f'<li id="fn{i}">{esc(w.person(rng))}, interview, {human_date(art["published"] - rng.randint(1, 400) * 86400)}.</li>'
                    for i in range(rng.randint(5, 30)))
    return f"""<div class="report-header"><a href="/">{esc(site.name)}</a> / <a href="/reports/">Reports</a></div>
<div class="report">
<h1>{esc(art['title'])}</h1>
<p class="authors">{", ".join(esc(a) for a in art['authors'])}</p>
<p class="date">Published {human_date(art['published'])}</p>
<div class="toc"><h2>Contents</h2><ol>{toc}</ol></div>
{body_html(paras, rng, art, figure=False)}
<table class="data"><caption>Table 1. Indicators by location</caption><thead><tr><th>Location</th><th>2021</th><th>2022</th><th>2023</th><th>2024</th><th>2025</th></tr></thead><tbody>{rows}</tbody></table>
<div class="footnotes"><h2>Notes</h2><ol>{notes}</ol></div>
</div>
<div class="report-footer"><p>Download PDF · Cite this report · Licence CC BY 4.0</p></div>"""


CHROMES = {"news": page_news, "wp": page_wp, "medium": page_medium,
           "newsletter": page_newsletter, "report": page_report}


def slugify(text, limit=8):
    out = []
    for word in text.lower().split()[:limit]:
        word = "".join(c for c in word if c.isalnum())
        if word:
            out.append(word)
    return "-".join(out) or "page"


def make_page(ctx, num):
    """The relative path and HTML of page `num`."""
    seed, vocabs, sites, writer = ctx
    rng = random.Random(seed * 1_000_003 + num)
    site = sites[site_of(seed, num)]
    r = rng.random()
    lang = "ru" if r < 0.04 else "tr" if r < 0.08 else "de" if r < 0.10 else "en"
    topics = rng.sample(TOPIC_WORDS, rng.randint(3, 6))
    places = rng.sample(PLACES, rng.randint(1, 3))
    people = [writer.person(rng) for _ in range(rng.randint(1, 4))]
    title = writer.title(rng, lang, topics, places)
    n_words = rng.randint(300, 1500)
    paras = writer.paragraphs(rng, lang, n_words, topics, places, people)
    published = rng.randint(START, END)
    modified = published + (rng.randint(0, 30 * 86400) if rng.random() < 0.4 else 0)
    art = {
        "num": num, "id": "%012x" % rng.getrandbits(48), "title": title, "lang": lang,
        "description": paras[0][: rng.randint(120, 220)].rsplit(" ", 1)[0] + "…",
        "authors": rng.sample(site.authors, rng.choice((1, 1, 1, 2, 2, 3))),
        "published": published,
        "published_iso": iso(published, site.tz), "modified_iso": iso(modified, site.tz),
        "topics": topics, "places": places, "section": rng.choice(site.sections),
    }
    slug = slugify(title)
    if site.chrome == "medium":
        slug += "-" + art["id"]
    else:
        slug += "-" + str(num)
    art["url"] = f"https://{site.domain}/{time.gmtime(published).tm_year}/{slug}/"
    body = CHROMES[site.chrome](writer, rng, site, art, paras)
    head_html = head(site, art, rng)
    html_lang = {"en": "en", "ru": "ru", "tr": "tr", "de": "de"}[lang]
    lo, hi = SIZE_RANGE_KB[site.chrome]
    target = int(rng.triangular(lo, hi, (lo + hi) / 2) * 1024)
    page = (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n{head_html}\n</head>\n'
            f'<body class="single {site.chrome}">\n{body}\n')
    tail = "</body>\n</html>\n"
    pad = target - len(page) - len(tail) - 40
    if pad > 0:
        cut = rng.randint(pad // 3, 2 * pad // 3)
        head_script = f"<script>{padding(rng, site, cut)}</script>\n"
        page = page.replace("\n</head>\n", "\n" + head_script + "</head>\n", 1)
        page += f'<script async>{padding(rng, site, pad - cut)}</script>\n'
    return slug + ".html", page + tail


def site_of(seed, num):
    """Index into SITES of the site page `num` belongs to."""
    r = random.Random(f"site-of-{seed}-{num}").random()
    acc = 0.0
    for i, s in enumerate(SITES):
        acc += s[3]
        if r < acc:
            return i
    return len(SITES) - 1


_CTX = None


def _init(seed):
    global _CTX
    vocabs = build_vocab(seed)
    _CTX = (seed, vocabs, build_sites(seed), Writer(vocabs))


def _work(job):
    out_dir, items = job
    total = 0
    made = set()
    for num, folder in items:
        name, html = make_page(_CTX, num)
        d = os.path.join(out_dir, folder)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        data = html.encode("utf-8")
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        total += len(data)
    return len(items), total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    started = time.time()
    counters = [0] * len(SITES)
    # Folder of each page: <site>/<part>, ~1,000 pages per part.
    plan = []
    for num in range(args.pages):
        idx = site_of(args.seed, num)
        part = counters[idx] // FILES_PER_FOLDER
        counters[idx] += 1
        plan.append((num, f"{SITES[idx][0]}/part-{part:03d}"))
    jobs = [(args.out, plan[i:i + 250]) for i in range(0, len(plan), 250)]
    pages = nbytes = 0
    with Pool(args.jobs, initializer=_init, initargs=(args.seed,)) as pool:
        for n, b in pool.imap_unordered(_work, jobs):
            pages += n
            nbytes += b
            if sys.stderr.isatty():
                print(f"\r{pages}/{args.pages} pages", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(json.dumps({"pages": pages, "bytes": nbytes, "seconds": round(time.time() - started, 1),
                      "seed": args.seed, "version": GENERATOR_VERSION}))


if __name__ == "__main__":
    main()
